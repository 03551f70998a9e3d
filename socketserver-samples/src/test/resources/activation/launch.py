"""Starts a program over a listening socket the way systemd's socket activation does (ActivationIT).

usage: launch.py tcp|unix|udp ADDRESS MODE PROGRAM [ARGS...]

Creates the socket first (tcp, udp: ADDRESS is HOST:PORT, port 0 picks one; unix: a socket file
path), prints "socket ADDRESS" and forks; the child prints "child PID", passes the socket as MODE
says, and execs PROGRAM:
  listen-fds            on fd 3 with LISTEN_FDS=1 and LISTEN_PID=<the child's pid> (sd_listen_fds(3))
  listen-fds-other-pid  the same, but LISTEN_PID names the parent: the child must ignore it
  listen-fds-twice      the socket on fd 3 and fd 4, LISTEN_FDS=2, LISTEN_FDNAMES=first:second
  stdin                 on fd 0 (systemd StandardInput=socket, inetd wait mode)
The parent closes its copy of the socket and exits with the child's status.
"""
import os
import socket
import sys

kind, where, mode = sys.argv[1:4]
program = sys.argv[4:]
if kind == "unix":
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(where)
    address = where
else:
    host, port = where.rsplit(":", 1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    sock.bind((host, int(port)))
    address = "%s:%d" % sock.getsockname()
if kind != "udp":
    sock.listen(16)
print("socket", address, flush=True)

parent = os.getpid()
child = os.fork()
if child == 0:
    if mode == "stdin":
        os.dup2(sock.fileno(), 0)
    else:
        if sock.fileno() != 3:
            os.dup2(sock.fileno(), 3)
        os.set_inheritable(3, True)  # dup2 onto the same number would keep the socket's close-on-exec flag
        if mode == "listen-fds-twice":
            os.dup2(3, 4)
            os.environ["LISTEN_FDNAMES"] = "first:second"
        os.environ["LISTEN_FDS"] = "2" if mode == "listen-fds-twice" else "1"
        os.environ["LISTEN_PID"] = str(parent if mode == "listen-fds-other-pid" else os.getpid())
    print("child", os.getpid(), flush=True)
    os.execvp(program[0], program)

sock.close()
_, status = os.waitpid(child, 0)
sys.exit(os.waitstatus_to_exitcode(status))
