"""Python's socket module on a batch of queries (JSON on stdin), outcomes as JSON on stdout.

The counterpart of lookup-probe.mjs: same input, same output shape, so the differential
tests compare netkit with Python entry by entry in one process each.
"""
import json
import socket
import sys


def outcome(run, *args):
    try:
        result = run(*args)
        return {"ok": list(result) if isinstance(result, tuple) else result}
    except socket.gaierror as error:
        return {"error": f"gaierror:{error.errno}"}
    except socket.herror as error:
        return {"error": f"herror:{error.errno}"}
    except OverflowError:
        return {"error": "bad-port"}
    except (TypeError, ValueError):
        # NUL bytes, and the idna codec's UnicodeError for empty or long labels.
        return {"error": "bad-argument"}
    except OSError as error:
        message = str(error)
        if message in ("service/proto not found", "port/proto not found"):
            return {"error": f"OSError:{message}"}
        # gethostbyaddr('') says "wildcard resolved to multiple address".
        return {"error": "bad-argument"}


def addresses(name, family=0):
    found = socket.getaddrinfo(name, None, family, socket.SOCK_STREAM)
    return [[4 if fam == socket.AF_INET else 6, sockaddr[0]] for fam, _, _, _, sockaddr in found]


query = json.load(sys.stdin)
hosts = {}
for name in query.get("hosts", []):
    hosts[name] = {
        "gethostbyname": outcome(socket.gethostbyname, name),
        "gethostbyname_ex": outcome(socket.gethostbyname_ex, name),
        "gethostbyaddr": outcome(socket.gethostbyaddr, name),
        "getaddrinfo": outcome(addresses, name),
        "getaddrinfo4": outcome(addresses, name, socket.AF_INET),
    }
byname = [outcome(socket.getservbyname, name, *([] if proto is None else [proto])) for name, proto in query.get("byname", [])]
byport = [outcome(socket.getservbyport, port, *([] if proto is None else [proto])) for port, proto in query.get("byport", [])]
json.dump({"hosts": hosts, "byname": byname, "byport": byport}, sys.stdout)
