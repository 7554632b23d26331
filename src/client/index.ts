export {
  CHAT_CLIENT_DEFAULTS,
  type ChatClient,
  type ChatClientEvents,
  type ChatClientOptions,
  ChatClosedError,
  type ChatLine,
  ChatRefusedError,
  chatEventLine,
  isQuitCommand,
  openChatClient,
  parseChatUrl,
} from './chat-client.js';
export {
  ConnectionClosedError,
  openRequestClient,
  type ReplyAssembler,
  type RequestClient,
  type RequestClientOptions,
  RequestTimeoutError,
} from './request-client.js';
