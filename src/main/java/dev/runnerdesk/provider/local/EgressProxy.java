package dev.runnerdesk.provider.local;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.policy.EgressRule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The only way out of a {@code web_automation} sandbox: an HTTP proxy (CONNECT and plain HTTP) that lets
 * through what the egress allowlist allows and refuses, and reports, the rest. The sandbox has its own
 * network namespace with nothing but loopback; the proxy's listener is opened <em>inside</em> it, on
 * 127.0.0.1:{@value #PORT}, by a thread that joins that namespace with setns(2) — so the sandbox can reach
 * the proxy and nothing else — while the upstream connections are made from this process's own network.
 */
final class EgressProxy {
    static final int PORT = 3128;
    private static final System.Logger LOG = System.getLogger(EgressProxy.class.getName());
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** Reports a refused connection: host and port, never a URL path or header. */
    @FunctionalInterface
    interface BlockedListener {
        void blocked(String host, int port);
    }

    private interface LibC extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService PIPES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runnerdesk-egress-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private EgressProxy() {
    }

    /** A listener serving one sandbox; close it when the sandbox ends. */
    static final class Listener implements AutoCloseable {
        private volatile java.io.Closeable server;
        private volatile Thread dispatcher;
        private volatile Process relay;
        private volatile Path socket;

        @Override
        public void close() {
            Thread d = dispatcher;
            if (d != null) {
                d.interrupt();
            }
            java.io.Closeable s = server;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            Process r = relay;
            if (r != null) {
                r.destroyForcibly();
            }
            Path f = socket;
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // its folder may be gone already
                }
            }
        }
    }

    /** One client's connection, whatever carries it: a TCP socket in the sandbox, or a UNIX socket from the relay. */
    private interface Client extends java.io.Closeable {
        InputStream in() throws IOException;

        OutputStream out() throws IOException;

        void shutdownOutput() throws IOException;

        /** A read timeout in milliseconds (0: none); a carrier without timeouts ignores it. */
        void timeout(int millis) throws IOException;

        static Client of(Socket s) {
            return new Client() {
                public InputStream in() throws IOException {
                    return s.getInputStream();
                }

                public OutputStream out() throws IOException {
                    return s.getOutputStream();
                }

                public void shutdownOutput() throws IOException {
                    s.shutdownOutput();
                }

                public void timeout(int millis) throws IOException {
                    s.setSoTimeout(millis);
                }

                public void close() throws IOException {
                    s.close();
                }
            };
        }

        static Client of(java.nio.channels.SocketChannel c) {
            // not Channels.newInputStream/newOutputStream: both take the channel's blocking lock, so a read waiting
            // for the sandbox would hold up every write to it; a socket channel reads and writes at once by itself
            InputStream in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return len == 0 ? 0 : c.read(java.nio.ByteBuffer.wrap(b, off, len));
                }
            };
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        c.write(buf);
                    }
                }
            };
            return new Client() {
                public InputStream in() {
                    return in;
                }

                public OutputStream out() {
                    return out;
                }

                public void shutdownOutput() throws IOException {
                    c.shutdownOutput();
                }

                public void timeout(int millis) {
                    // the relay's side ends when the sandbox's connection does
                }

                public void close() throws IOException {
                    c.close();
                }
            };
        }
    }

    /**
     * Opens the proxy inside the network namespace of the sandbox process {@code bwrapPid} (bubblewrap's
     * child is found under it) and returns once it accepts connections.
     */
    static Listener open(long bwrapPid, List<EgressRule> rules, BlockedListener onBlocked, Path socketDir) {
        long child = childOf(bwrapPid);
        try {
            return joined(child, rules, onBlocked);
        } catch (NotPermitted e) {
            // an ordinary user may not join another network namespace from this (multi-threaded) process
            return relayed(child, rules, onBlocked, socketDir);
        }
    }

    /** setns(2) refused: this process lacks CAP_SYS_ADMIN in its own user namespace (it is not root). */
    private static final class NotPermitted extends Exception {
    }

    private static final int EPERM = 1;

    /** The listener opened inside the sandbox's network by a thread of this process that joined it (possible as root). */
    private static Listener joined(long child, List<EgressRule> rules, BlockedListener onBlocked) throws NotPermitted {
        Listener listener = new Listener();
        CountDownLatch ready = new CountDownLatch(1);
        // threads inherit the network namespace of the thread that starts them: the connections are served
        // by threads this (host-side) dispatcher starts, never by the listener, which lives in the sandbox
        BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        Thread dispatcher = new Thread(() -> {
            try {
                while (true) {
                    Socket client = accepted.take();
                    PIPES.execute(() -> serve(Client.of(client), rules, onBlocked));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "runnerdesk-egress-dispatch-" + child);
        dispatcher.setDaemon(true);
        dispatcher.start();
        listener.dispatcher = dispatcher;
        RunnerException[] failure = new RunnerException[1];
        boolean[] notPermitted = new boolean[1];
        Thread thread = new Thread(() -> {
            try {
                LibC libc = Native.load("c", LibC.class);
                int fd = libc.open("/proc/" + child + "/ns/net", 0);
                if (fd < 0 || libc.setns(fd, CLONE_NEWNET) != 0) {
                    int errno = Native.getLastError();
                    if (fd >= 0) {
                        libc.close(fd);
                    }
                    notPermitted[0] = errno == EPERM;
                    throw new IOException("cannot join the sandbox's network namespace (errno " + errno + ")");
                }
                libc.close(fd);
                // this thread now lives in the sandbox's network: the socket is the sandbox's 127.0.0.1:3128
                ServerSocket server = new ServerSocket();
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 64);
                listener.server = server;
                ready.countDown();
                while (!server.isClosed()) {
                    accepted.add(server.accept());
                }
            } catch (IOException | RuntimeException e) {
                if (ready.getCount() > 0) {
                    failure[0] = new RunnerException.Unavailable("the egress proxy could not start: " + e.getMessage());
                    ready.countDown();
                }
            }
        }, "runnerdesk-egress-listener-" + child);
        thread.setDaemon(true);
        thread.start();
        try {
            if (!ready.await(10, TimeUnit.SECONDS)) {
                throw new RunnerException.Unavailable("the egress proxy did not start in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while starting the egress proxy");
        }
        if (failure[0] != null) {
            listener.close();
            if (notPermitted[0]) {
                throw new NotPermitted();
            }
            throw failure[0];
        }
        return listener;
    }

    /**
     * For an ordinary user: a small relay that joins the sandbox's user and network namespaces listens on the
     * sandbox's 127.0.0.1:{@value #PORT} and hands each connection to this
     * process over a UNIX socket in the runner's folder, where the same proxy serves it. The relay is Python
     * (nothing else that ships with a desktop Linux can listen on TCP); it dies with RunnerDesk.
     */
    private static Listener relayed(long child, List<EgressRule> rules, BlockedListener onBlocked, Path socketDir) {
        Path python = Bubblewrap.findProgram("python3").orElseThrow(() -> new RunnerException.Unavailable(
                "the egress proxy of a web_automation runner needs python3 when RunnerDesk does not run as root"
                        + " (install python3, e.g. sudo apt-get install python3)"));
        Listener listener = new Listener();
        try {
            Path socket = socketDir.resolve("e" + Long.toString(child, 36) + ".sock"); // a UNIX socket path is short (108 bytes)
            Files.deleteIfExists(socket);
            java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            server.bind(java.net.UnixDomainSocketAddress.of(socket), 64);
            listener.server = server;
            listener.socket = socket;
            ProcessBuilder builder = new ProcessBuilder(python.toString(), "-I", "-S", "-c", RELAY, Long.toString(child),
                    socket.toString(), Integer.toString(PORT)).redirectErrorStream(true);
            builder.environment().clear();
            Process relay = Spawner.spawn(builder::start);
            listener.relay = relay;
            String said = readLine(relay.getInputStream(), 10_000);
            if (!"ready".equals(said)) {
                throw new RunnerException.Unavailable("the egress relay did not start" + (said == null || said.isBlank() ? "" : ": " + said));
            }
            Thread acceptor = new Thread(() -> {
                try {
                    while (server.isOpen()) {
                        java.nio.channels.SocketChannel client = server.accept();
                        PIPES.execute(() -> serve(Client.of(client), rules, onBlocked));
                    }
                } catch (IOException e) {
                    // closed: the sandbox ended
                }
            }, "runnerdesk-egress-relay-" + child);
            acceptor.setDaemon(true);
            acceptor.start();
            listener.dispatcher = acceptor;
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e instanceof RunnerException r ? r : new RunnerException.Unavailable("the egress proxy could not start: " + e.getMessage());
        }
    }

    /** A line the relay prints, or null when it ends or says nothing within {@code millis}. */
    private static String readLine(InputStream in, long millis) throws IOException {
        java.util.concurrent.Future<String> line = PIPES.submit(() -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n' && b.size() < 4096) {
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8).strip();
        });
        try {
            return line.get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            line.cancel(true);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /**
     * The relay: accepts on the sandbox's 127.0.0.1:PORT, and pipes each connection to the UNIX socket of the
     * proxy. It asks the kernel to kill it when the thread that started it ends (PR_SET_PDEATHSIG).
     */
    private static final String RELAY = String.join("\n",
            "import ctypes, fcntl, os, socket, sys, threading",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "libc.prctl(1, 9)",
            "pid, path, port = sys.argv[1], sys.argv[2], int(sys.argv[3])",
            // the sandbox's network is owned by the user namespace bubblewrap made (the command runs in one nested
            // below it): join that owner (NS_GET_USERNS), then the network; still single-threaded, as setns needs
            "net = os.open('/proc/%s/ns/net' % pid, os.O_RDONLY)",
            "owner = fcntl.ioctl(net, 0xb701)",
            "if libc.setns(owner, 0x10000000) != 0 or libc.setns(net, 0x40000000) != 0:",
            "    e = ctypes.get_errno()",
            "    print('cannot join the sandbox network: ' + os.strerror(e), flush=True)",
            "    sys.exit(1)",
            "srv = socket.socket()",
            "srv.bind(('127.0.0.1', port))",
            "srv.listen(64)",
            "print('ready', flush=True)",
            "def pump(a, b):",
            "    try:",
            "        while True:",
            "            d = a.recv(65536)",
            "            if not d:",
            "                break",
            "            b.sendall(d)",
            "    except OSError:",
            "        pass",
            "    try:",
            "        b.shutdown(socket.SHUT_WR)",
            "    except OSError:",
            "        pass",
            "def serve(c):",
            "    u = socket.socket(socket.AF_UNIX)",
            "    try:",
            "        u.connect(path)",
            "    except OSError:",
            "        c.close()",
            "        return",
            "    threading.Thread(target=pump, args=(u, c), daemon=True).start()",
            "    pump(c, u)",
            "while True:",
            "    c, _ = srv.accept()",
            "    threading.Thread(target=serve, args=(c,), daemon=True).start()",
            "");

    /** Bubblewrap's child: the sandbox's first process, already in its namespaces. */
    private static long childOf(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            // the launcher's shell becomes bubblewrap; until it has, its children (mount) are not the sandbox
            if (!isBubblewrap(pid)) {
                if (!pause()) {
                    break;
                }
                continue;
            }
            Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
            try {
                String text = Files.readString(children).trim();
                if (!text.isEmpty()) {
                    return Long.parseLong(text.split("\\s+")[0]);
                }
            } catch (IOException | NumberFormatException e) {
                // not there yet, or the kernel lacks the children file: fall through to the scan
            }
            try (var dirs = Files.list(Path.of("/proc"))) {
                var found = dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .filter(n -> parentOf(n) == pid).findFirst();
                if (found.isPresent()) {
                    return Long.parseLong(found.get());
                }
            } catch (IOException ignored) {
                // try again
            }
            if (!pause()) {
                break;
            }
        }
        throw new RunnerException.Unavailable("the sandbox did not start (no process under bubblewrap " + pid + ")");
    }

    private static boolean isBubblewrap(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("bwrap");
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits a moment before looking again; false when interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(5);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long parentOf(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void serve(Client client, List<EgressRule> rules, BlockedListener onBlocked) {
        try (client) {
            client.timeout(30_000);
            InputStream in = client.in();
            OutputStream out = client.out();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (requestLine.length != 3) {
                respond(out, 400, "not an HTTP proxy request");
                return;
            }
            String method = requestLine[0].toUpperCase(Locale.ROOT);
            Target target = method.equals("CONNECT") ? Target.ofAuthority(requestLine[1], 443) : Target.ofUrl(requestLine[1]);
            if (target == null) {
                respond(out, 400, "the proxy needs an absolute URL or CONNECT host:port");
                return;
            }
            if (!EgressRule.anyAllows(rules, target.host, target.port)) {
                onBlocked.blocked(target.host, target.port);
                respond(out, 403, "blocked by the runner's egress allowlist: " + target.host + ":" + target.port);
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress(target.host, target.port), 10_000);
                client.timeout(0);
                if (method.equals("CONNECT")) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    upstream.getOutputStream().write(originForm(head, method, target).getBytes(StandardCharsets.ISO_8859_1));
                }
                var upward = PIPES.submit(() -> pipe(in, upstream.getOutputStream(), upstream::shutdownOutput));
                pipe(upstream.getInputStream(), out, client::shutdownOutput);
                upward.cancel(true);
            } catch (IOException e) {
                respond(out, 502, "cannot reach " + target.host + ":" + target.port + ": " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "egress connection ended", e);
        }
    }

    private record Target(String host, int port, String path) {
        static Target ofAuthority(String authority, int defaultPort) {
            String host = authority;
            int port = defaultPort;
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && authority.indexOf(']') < colon) {
                host = authority.substring(0, colon);
                try {
                    port = Integer.parseInt(authority.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return host.isEmpty() || port < 1 || port > 65535 ? null : new Target(host, port, "/");
        }

        static Target ofUrl(String url) {
            if (!url.regionMatches(true, 0, "http://", 0, 7)) {
                return null; // https goes through CONNECT; anything else is not for a proxy
            }
            String rest = url.substring(7);
            int slash = rest.indexOf('/');
            Target t = ofAuthority(slash < 0 ? rest : rest.substring(0, slash), 80);
            return t == null ? null : new Target(t.host, t.port, slash < 0 ? "/" : rest.substring(slash));
        }
    }

    /** The request as the origin expects it: path only, no proxy headers, one request per connection. */
    private static String originForm(String head, String method, Target target) {
        StringBuilder out = new StringBuilder(method).append(' ').append(target.path).append(" HTTP/1.1\r\n");
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (line.isEmpty() || line.equals(head.substring(0, head.indexOf("\r\n"))) || lower.startsWith("proxy-")
                    || lower.startsWith("connection:")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > MAX_HEAD_BYTES) {
                return null;
            }
        }
        return null;
    }

    /** Half-closes one side of a connection once the other side has said all. */
    private interface Shutdown {
        void shutdownOutput() throws IOException;
    }

    private static Void pipe(InputStream from, OutputStream to, Shutdown closeWhenDone) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            try {
                closeWhenDone.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
        return null;
    }

    private static void respond(OutputStream out, int status, String message) throws IOException {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            default -> "Bad Gateway";
        };
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
