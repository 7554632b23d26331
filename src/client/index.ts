export {
  ConnectionClosedError,
  openRequestClient,
  type ReplyAssembler,
  type RequestClient,
  type RequestClientOptions,
  RequestTimeoutError,
} from './request-client.js';
