import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * Closed-loop load generator: {@code concurrency} threads each send {@code GET <url>},
 * wait for the whole answer, and send the next one, until {@code seconds} have passed.
 * <p>
 * Run it as a single-file source program (JDK 21 or newer, no dependencies):
 *
 * <pre>
 * java bench/GetLoad.java http://127.0.0.1:8080/api/v1/sessions/ID 16 30
 * </pre>
 *
 * Every latency is kept (one {@code long[]} per thread, merged and sorted at the end)
 * because HdrHistogram is not available; at a few thousand requests per second that is
 * a few MB. Any answer other than 200, and any I/O failure, is an error. The latency
 * percentiles cover every request that got an HTTP answer, errors included, so that a
 * run with errors is not made to look faster; a trustworthy run has 0 errors.
 * <p>
 * The output is one {@code name: value} line per figure so that scripts can pick
 * figures out of it with {@code awk}.
 */
public class GetLoad {

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: java GetLoad.java <url> <concurrency> <seconds>");
			System.exit(2);
		}
		URI uri = URI.create(args[0]);
		int concurrency = Integer.parseInt(args[1]);
		int seconds = Integer.parseInt(args[2]);
		if (concurrency < 1 || seconds < 1) {
			System.err.println("concurrency and seconds must be positive");
			System.exit(2);
		}

		// One client shared by all threads, HTTP/1.1 only: its pool then holds one
		// keep-alive connection per thread, as a fleet of gateway workers would.
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();

		Worker[] workers = new Worker[concurrency];
		Thread[] threads = new Thread[concurrency];
		CountDownLatch ready = new CountDownLatch(concurrency);
		CountDownLatch go = new CountDownLatch(1);
		long[] deadline = new long[1];
		for (int i = 0; i < concurrency; i++) {
			workers[i] = new Worker(client, request, ready, go, deadline);
			threads[i] = new Thread(workers[i], "load-" + i);
			threads[i].start();
		}
		ready.await();

		long cpuBefore = processCpuNanos();
		long start = System.nanoTime();
		deadline[0] = start + Duration.ofSeconds(seconds).toNanos();
		go.countDown(); // the latch publishes deadline[0] to the workers
		for (Thread thread : threads) {
			thread.join();
		}
		long elapsed = System.nanoTime() - start;
		long cpuUsed = processCpuNanos() - cpuBefore;

		report(workers, elapsed, cpuUsed);
	}

	private static void report(Worker[] workers, long elapsedNanos, long cpuNanos) {
		int total = 0;
		long non200 = 0;
		long failures = 0;
		TreeMap<Integer, Long> otherStatuses = new TreeMap<>();
		String firstFailure = null;
		for (Worker worker : workers) {
			total += worker.count;
			non200 += worker.non200;
			failures += worker.failures;
			worker.otherStatuses.forEach((status, n) -> otherStatuses.merge(status, n, Long::sum));
			if (firstFailure == null) {
				firstFailure = worker.firstFailure;
			}
		}
		long[] all = new long[total];
		int at = 0;
		for (Worker worker : workers) {
			System.arraycopy(worker.latencies, 0, all, at, worker.count);
			at += worker.count;
		}
		Arrays.sort(all);

		long requests = total + failures; // failures got no HTTP answer, so no latency either
		double seconds = elapsedNanos / 1e9;
		print("requests", Long.toString(requests));
		print("errors", (non200 + failures) + "  (non-200 answers: " + non200 + ", I/O failures: " + failures + ")");
		if (!otherStatuses.isEmpty()) {
			print("non-200 statuses", otherStatuses.toString());
		}
		if (firstFailure != null) {
			print("first I/O failure", firstFailure);
		}
		print("elapsed", fmt(seconds, 3) + " s");
		print("requests/s", fmt(requests / seconds, 1));
		if (total > 0) {
			print("latency p50", ms(percentile(all, 50.0)));
			print("latency p90", ms(percentile(all, 90.0)));
			print("latency p99", ms(percentile(all, 99.0)));
			print("latency p99.9", ms(percentile(all, 99.9)));
			print("latency max", ms(all[total - 1]));
			print("latency mean", ms(Arrays.stream(all).sum() / (double) total));
		}
		if (cpuNanos >= 0) {
			print("load generator CPU", fmt(cpuNanos / 1e9, 1) + " s");
		}
	}

	/** Nearest-rank percentile: the smallest latency that p% of the requests did not exceed. */
	private static long percentile(long[] sorted, double p) {
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	private static void print(String name, String value) {
		System.out.printf(Locale.ROOT, "%-20s %s%n", name + ":", value);
	}

	private static String ms(double nanos) {
		return fmt(nanos / 1e6, 3) + " ms";
	}

	private static String fmt(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	/** One closed-loop client: the next request leaves when the previous answer is in. */
	static final class Worker implements Runnable {

		private final HttpClient client;

		private final HttpRequest request;

		private final CountDownLatch ready;

		private final CountDownLatch go;

		private final long[] deadline;

		long[] latencies = new long[1 << 16];

		int count;

		long non200;

		long failures;

		final TreeMap<Integer, Long> otherStatuses = new TreeMap<>();

		String firstFailure;

		Worker(HttpClient client, HttpRequest request, CountDownLatch ready, CountDownLatch go, long[] deadline) {
			this.client = client;
			this.request = request;
			this.ready = ready;
			this.go = go;
			this.deadline = deadline;
		}

		@Override
		public void run() {
			this.ready.countDown();
			try {
				this.go.await();
			}
			catch (InterruptedException ex) {
				return;
			}
			long end = this.deadline[0];
			while (System.nanoTime() < end) {
				long sent = System.nanoTime();
				try {
					// discarding() still reads the whole body off the connection before returning.
					HttpResponse<Void> response = this.client.send(this.request, HttpResponse.BodyHandlers.discarding());
					record(System.nanoTime() - sent);
					if (response.statusCode() != 200) {
						this.non200++;
						this.otherStatuses.merge(response.statusCode(), 1L, Long::sum);
					}
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					this.failures++;
					if (this.firstFailure == null) {
						this.firstFailure = ex.toString();
					}
				}
			}
		}

		private void record(long nanos) {
			if (this.count == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
			}
			this.latencies[this.count++] = nanos;
		}

	}

}
