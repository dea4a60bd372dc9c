"""A pseudo-terminal driver for tests (Debian's python3, standard library only).

Runs argv[1:] on a new pty (the child's stdin, stdout and stderr; the pty is its controlling terminal).
Speaks JSON lines: on stdout {"out": text} for what the child prints, {"echo": bool} answering a query,
{"exit": code} when the child ended (queries are still answered until stdin closes); on stdin {"write": text} types into the terminal, {"echo": true} asks whether the
terminal's ECHO flag is on right now (read from the pty's own termios, the state the child set), and
{"signal": "SIGINT"} signals the child.
"""
import json, os, select, signal, subprocess, sys, termios

master, slave = os.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                         preexec_fn=lambda: __import__('fcntl').ioctl(0, termios.TIOCSCTTY, 0), close_fds=True)

def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

inbuf = b""
exited = False
while True:
    watch = [sys.stdin.buffer] + ([] if exited else [master])
    r, _, _ = select.select(watch, [], [], 0.05)
    if not exited and master in r:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            send({"out": data.decode("utf-8", "replace")})
    if sys.stdin.buffer in r:
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:
            if not exited:
                child.kill()
                child.wait()
            break
        inbuf += chunk
        while b"\n" in inbuf:
            line, inbuf = inbuf.split(b"\n", 1)
            msg = json.loads(line)
            if "write" in msg:
                os.write(master, msg["write"].encode())
            if msg.get("echo"):
                send({"echo": bool(termios.tcgetattr(slave)[3] & termios.ECHO)})
            if "signal" in msg and not exited:
                child.send_signal(getattr(signal, msg["signal"]))
    if not exited and child.poll() is not None and master not in r:
        while select.select([master], [], [], 0.05)[0]:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            send({"out": data.decode("utf-8", "replace")})
        exited = True
        send({"exit": child.returncode})
