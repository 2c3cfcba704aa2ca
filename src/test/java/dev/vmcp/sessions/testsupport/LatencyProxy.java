package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that delays every chunk it forwards by an adjustable latency: a
 * slow network or an overloaded server, without touching either end.
 */
public final class LatencyProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int targetPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile Duration latency = Duration.ZERO;

	private volatile boolean closed;

	private LatencyProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().name("latency-proxy-accept").start(this::acceptLoop);
	}

	/** A proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
	public static LatencyProxy to(int targetPort) {
		try {
			return new LatencyProxy(targetPort);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/** Delay added to every chunk forwarded from now on, both ways. */
	public void setLatency(Duration latency) {
		this.latency = latency;
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.listener);
		this.sockets.forEach(LatencyProxy::closeQuietly);
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				Socket server = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(server);
				pipe(client, server);
				pipe(server, client);
			}
			catch (IOException ex) {
				// listener closed, or the target refused: the client sees its connection
				// drop
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread.ofVirtual().start(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					holdUntilDue(System.nanoTime());
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side closed: close the other so that the peer notices
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		});
	}

	/**
	 * Holds a chunk that arrived at {@code arrival} until the current latency has passed,
	 * in short steps, so that lowering the latency releases held chunks at once.
	 */
	private void holdUntilDue(long arrival) {
		while (System.nanoTime() - arrival < this.latency.toNanos()) {
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing on the way out: nothing left to do
		}
	}

}
