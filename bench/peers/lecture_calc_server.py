"""The lecture's calculator server, as the course teaches it: a UDP socket loop with
recvfrom/sendto, and a TCP server from socketserver with a thread per client.
Requests are `A OP B` (the lecture's form). Used only as a benchmark reference.
    python3 bench/peers/lecture_calc_server.py PORT
"""
import socket
import socketserver
import sys
import threading

OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def calculate(text):
    try:
        a, op, b = text.split()
        return "OK %s\n" % OPS[op](int(a), int(b))
    except Exception as error:  # the lecture's server answers every request
        return "ERROR %s\n" % error


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(calculate(line.decode()).encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def serve_udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while True:
        data, addr = s.recvfrom(1024)
        s.sendto(calculate(data.decode()).encode(), addr)


if __name__ == "__main__":
    port = int(sys.argv[1])
    threading.Thread(target=serve_udp, args=(port,), daemon=True).start()
    with Server(("127.0.0.1", port), Handler) as server:
        print("ready", flush=True)
        server.serve_forever()
