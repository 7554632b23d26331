"""The lecture's word server, as the course teaches it: for each word, its length and its
first character (Python's len() and w[0], code points, as the lecture does). UDP with a
recvfrom/sendto loop, TCP with socketserver and a thread per client. Replies use netkit's
grammar (OK N, then WORD<TAB>LENGTH<TAB>FIRST per word) so the load is the same.
    python3 bench/peers/lecture_words_server.py PORT
"""
import socket
import socketserver
import sys
import threading


def describe(text):
    words = text.split()
    lines = ["OK %d\n" % len(words)]
    for word in words:
        lines.append("%s\t%d\t%s\n" % (word, len(word), word[0]))
    return "".join(lines)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(describe(line.decode()).encode())


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def serve_udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while True:
        data, addr = s.recvfrom(2048)
        s.sendto(describe(data.decode()).encode(), addr)


if __name__ == "__main__":
    port = int(sys.argv[1])
    threading.Thread(target=serve_udp, args=(port,), daemon=True).start()
    with Server(("127.0.0.1", port), Handler) as server:
        print("ready", flush=True)
        server.serve_forever()
