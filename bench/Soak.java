import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Load driver and history checker of bench/soak.sh: a randomized mix of session
 * operations against several pods of the service for a long time, every request and its
 * answer recorded, the history checked at the end. The operations across revisions
 * (2026-07-28 requests, Multi Round-Trip Requests, resumed streams) are in
 * {@link SoakMix}. Compiled with it on the test classpath (for Jackson) and run by
 * bench/soak.sh; see bench/README.md.
 *
 * <pre>
 * javac -d &lt;dir&gt; -cp &lt;classpath&gt; bench/Soak.java bench/SoakMix.java
 * java -cp &lt;dir&gt;:&lt;classpath&gt; Soak selftest
 * java -cp &lt;dir&gt;:&lt;classpath&gt; Soak keygen &lt;dir&gt;
 * java -cp &lt;dir&gt;:&lt;classpath&gt; Soak pods=&lt;url&gt;,&lt;url&gt; backends=&lt;name&gt;=&lt;stats url&gt;,... work=&lt;dir&gt; redis-port=&lt;port&gt; ...
 * </pre>
 *
 * {@code selftest} runs the history checker on small made-up histories, one per kind of
 * violation and one without any, and exits 1 unless it finds exactly what each holds.
 * <p>
 * {@code keygen} writes an RSA key pair: {@code jwt-public.pem} for the service
 * ({@code spring.security.oauth2.resourceserver.jwt.public-key-location}) and
 * {@code jwt-private.der} with which the driver signs one token per caller identity.
 * <p>
 * The history is a list of events: operation, session, pod, the times a request was sent
 * and its answer read, the status, and the version and metadata the answer showed. The
 * checker knows only those times, so it judges conservatively: a request counts as
 * "after" another only when it was sent after the other's answer was read. It reports:
 * <ul>
 * <li>a use of a session (GET, PATCH, MCP request) answered with success although it was
 * sent after a terminate of that session was acknowledged;</li>
 * <li>a read showing an older version (or older metadata) than a PATCH acknowledged
 * before the read was sent (a lost write), or than any answer read before it was sent
 * (a stale read);</li>
 * <li>two answers showing the same version with different metadata;</li>
 * <li>a session answered with success although it was sent more than one idle TTL after
 * every earlier request of that session had been answered (outlived its TTL);</li>
 * <li>a session answered 404 although no terminate had been sent and it had been used
 * with success less than one idle TTL before (a live session lost);</li>
 * <li>another caller's request on a session answered with success;</li>
 * <li>an MCP {@code tools/call echo} whose result is not the text sent.</li>
 * </ul>
 */
public class Soak {

	static final int REFUSED = -1;

	static final int TIMEOUT = -2;

	static final int IO_ERROR = -3;

	static final int BAD_ANSWER = -4;

	/** Slack for the TTL checks: timers of three processes, GC pauses. */
	static final long TTL_MARGIN_NS = TimeUnit.SECONDS.toNanos(2);

	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	static final String PROTOCOL_VERSION = "2025-06-18";

	static final JsonMapper JSON = JsonMapper.builder().build();

	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals("keygen")) {
			keygen(Path.of(args[1]));
			return;
		}
		if (args.length == 1 && args[0].equals("selftest")) {
			System.exit(SelfTest.run() ? 0 : 1);
		}
		Config config = Config.parse(args);
		System.exit(new Soak(config).run());
	}

	// --------------------------------------------------------------------------- configuration

	record Config(List<URI> pods, Map<String, URI> backendStats, Path work, int redisPort, String keyPrefix,
			double minutes, int callers, int workers, double rate, int maxLive, int mcpPerCaller, long idleTtlNs,
			long seed, int witnessPod, Set<String> statelessBackends, int mixWeight) {

		static Config parse(String[] args) {
			Map<String, String> values = new HashMap<>();
			for (String arg : args) {
				int eq = arg.indexOf('=');
				if (eq < 1) {
					throw new IllegalArgumentException("arguments are key=value, not " + arg);
				}
				values.put(arg.substring(0, eq), arg.substring(eq + 1));
			}
			List<URI> pods = new ArrayList<>();
			for (String url : required(values, "pods").split(",")) {
				pods.add(URI.create(url));
			}
			Map<String, URI> backends = new LinkedHashMap<>();
			for (String entry : required(values, "backends").split(",")) {
				int eq = entry.indexOf('=');
				backends.put(entry.substring(0, eq), URI.create(entry.substring(eq + 1)));
			}
			return new Config(pods, backends, Path.of(required(values, "work")),
					Integer.parseInt(required(values, "redis-port")), values.getOrDefault("key-prefix", "vmcp:session:"),
					Double.parseDouble(values.getOrDefault("minutes", "20")),
					Integer.parseInt(values.getOrDefault("callers", "8")),
					Integer.parseInt(values.getOrDefault("workers", "8")),
					Double.parseDouble(values.getOrDefault("rate", "150")),
					Integer.parseInt(values.getOrDefault("max-live", "80")),
					Integer.parseInt(values.getOrDefault("mcp-per-caller", "1")),
					TimeUnit.SECONDS.toNanos(Long.parseLong(values.getOrDefault("idle-ttl", "30"))),
					Long.parseLong(values.getOrDefault("seed", Long.toString(System.nanoTime()))),
					Integer.parseInt(values.getOrDefault("witness-pod", "1")),
					Set.of(values.getOrDefault("stateless-backends", "").split(",")),
					Integer.parseInt(values.getOrDefault("mix", "12")));
		}

		private static String required(Map<String, String> values, String key) {
			String value = values.get(key);
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException("missing argument " + key + "=...");
			}
			return value;
		}

	}

	// --------------------------------------------------------------------------- the history

	enum Op {

		CREATE, GET, PATCH, DELETE, PROBE_GET, PROBE_PATCH, MCP_INIT, MCP_NOTIFY, MCP_CALL, PROBE_MCP_CALL, MCP_DELETE,
		STRANGER_GET, STRANGER_PATCH, STRANGER_DELETE, STRANGER_MCP_CALL,
		/** The mix across revisions ({@link SoakMix}): 2026-07-28 requests without a session. */
		DISCOVER_2026, LIST_2026, CALL_2026,
		/** A 2026-07-28 call of a 2025 member that asks, and the call sent again with the answer. */
		MRTR_ASK, MRTR_ANSWER,
		/** A 2025 call whose stream is cut after its first event, and its resumption. */
		RESUME_CUT, RESUME_GET;

		/** A request of the owner that succeeds only on a live session (and slides its TTL). */
		boolean isUse() {
			return switch (this) {
				case GET, PATCH, PROBE_GET, PROBE_PATCH, MCP_NOTIFY, MCP_CALL, PROBE_MCP_CALL, RESUME_CUT, RESUME_GET -> true;
				default -> false;
			};
		}

		boolean isTerminate() {
			return this == DELETE || this == MCP_DELETE;
		}

		boolean isCreate() {
			return this == CREATE || this == MCP_INIT;
		}

		boolean isStranger() {
			return name().startsWith("STRANGER_");
		}

		boolean isRead() {
			return this == GET || this == PROBE_GET;
		}

		int success() {
			return switch (this) {
				case CREATE -> 201;
				case MCP_NOTIFY -> 202;
				case DELETE -> 204;
				default -> 200;
			};
		}

		/** Answers that are normal for this request, whatever the state of the session. */
		boolean expects(int status) {
			return switch (this) {
				case CREATE, MCP_INIT -> status == success();
				case GET, PROBE_GET, MCP_NOTIFY, MCP_CALL, PROBE_MCP_CALL, DELETE, MCP_DELETE, RESUME_CUT, RESUME_GET ->
					status == success() || status == 404;
				case PATCH, PROBE_PATCH -> status == 200 || status == 404 || status == 412;
				case STRANGER_GET, STRANGER_PATCH, STRANGER_DELETE, STRANGER_MCP_CALL -> status == 404;
				case DISCOVER_2026, LIST_2026, CALL_2026, MRTR_ASK, MRTR_ANSWER -> status == 200;
			};
		}

		String label() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * One request and its answer. Times are nanoseconds since the start of the run:
	 * {@code sent} before the request was handed to the client, {@code answered} once the
	 * whole answer (or the failure) was in.
	 */
	record Event(String session, int caller, Op op, int pod, long sent, long answered, int status, long version,
			long seq, String metadata, String note) {

		boolean succeeded() {
			return this.status == this.op.success();
		}

	}

	/** Events of one worker thread; merged at the end. */
	static final class Recorder {

		final List<Event> events = new ArrayList<>();

		synchronized void add(Event event) {
			this.events.add(event);
		}

		synchronized List<Event> snapshot() {
			return new ArrayList<>(this.events);
		}

	}

	// --------------------------------------------------------------------------- what the driver knows

	/** A session the driver created; its fields are what the driver last saw. */
	static final class Tracked {

		final String id;

		final int caller;

		final boolean mcp;

		long version = -1;

		long seq;

		/** When the last answer of any request on it was read (bounds its TTL from above). */
		long lastAnswered;

		int probes;

		Tracked(String id, int caller, boolean mcp, long now) {
			this.id = id;
			this.caller = caller;
			this.mcp = mcp;
			this.lastAnswered = now;
		}

		synchronized void learn(long version, long seq) {
			if (version > this.version) {
				this.version = version;
				this.seq = seq;
			}
		}

		synchronized long[] known() {
			return new long[] { this.version, this.seq };
		}

		synchronized void answered(long at) {
			this.lastAnswered = Math.max(this.lastAnswered, at);
		}

		synchronized long lastAnswered() {
			return this.lastAnswered;
		}

	}

	/**
	 * The sessions of one caller identity: in use, left to expire (until one idle TTL
	 * after their last answer), and ended (terminated or expired, probed a couple of
	 * times). Live = in use + left to expire + being created, kept below the quota.
	 */
	static final class CallerState {

		final int index;

		final List<Tracked> active = new ArrayList<>();

		final List<Tracked> expiring = new ArrayList<>();

		final List<Tracked> ended = new ArrayList<>();

		int creating;

		int creatingMcp;

		CallerState(int index) {
			this.index = index;
		}

		synchronized void housekeep(long now, long ttl) {
			for (int i = this.expiring.size() - 1; i >= 0; i--) {
				Tracked t = this.expiring.get(i);
				if (now > t.lastAnswered() + ttl + TTL_MARGIN_NS) {
					removeAt(this.expiring, i);
					addEnded(t);
				}
			}
		}

		synchronized int live() {
			return this.active.size() + this.expiring.size() + this.creating;
		}

		synchronized int activeMcp() {
			int count = 0;
			for (Tracked t : this.active) {
				if (t.mcp) {
					count++;
				}
			}
			return count + this.creatingMcp;
		}

		/** Reserves a place below {@code max} for a session about to be created. */
		synchronized boolean reserve(int max, boolean mcp) {
			if (live() >= max) {
				return false;
			}
			this.creating++;
			if (mcp) {
				this.creatingMcp++;
			}
			return true;
		}

		synchronized void created(Tracked t, boolean mcp) {
			this.creating--;
			if (mcp) {
				this.creatingMcp--;
			}
			if (t != null) {
				this.active.add(t);
			}
		}

		/** Half of the time the session used least recently, so that none expires unnoticed. */
		synchronized Tracked pick(Random random, boolean mcpOnly) {
			List<Tracked> candidates = this.active;
			if (mcpOnly) {
				candidates = new ArrayList<>();
				for (Tracked t : this.active) {
					if (t.mcp) {
						candidates.add(t);
					}
				}
			}
			if (candidates.isEmpty()) {
				return null;
			}
			if (random.nextBoolean()) {
				return candidates.get(random.nextInt(candidates.size()));
			}
			return candidates.stream().min(Comparator.comparingLong(Tracked::lastAnswered)).orElseThrow();
		}

		/** Takes a session out of use (to terminate or abandon it). */
		synchronized Tracked take(Random random) {
			if (this.active.isEmpty()) {
				return null;
			}
			return removeAt(this.active, random.nextInt(this.active.size()));
		}

		/** Left to expire: no request until one idle TTL after its last answer. */
		synchronized void abandon(Tracked t) {
			this.active.remove(t);
			this.expiring.add(t);
		}

		synchronized void end(Tracked t) {
			this.active.remove(t);
			this.expiring.remove(t);
			if (!this.ended.contains(t)) {
				addEnded(t);
			}
		}

		synchronized Tracked pickEnded(Random random) {
			if (this.ended.isEmpty()) {
				return null;
			}
			int i = random.nextInt(this.ended.size());
			Tracked t = this.ended.get(i);
			if (++t.probes >= 2) {
				removeAt(this.ended, i);
			}
			return t;
		}

		private void addEnded(Tracked t) {
			this.ended.add(t);
			if (this.ended.size() > 200) {
				this.ended.remove(0);
			}
		}

		private static Tracked removeAt(List<Tracked> list, int i) {
			Tracked last = list.remove(list.size() - 1);
			if (i == list.size()) {
				return last;
			}
			return list.set(i, last);
		}

	}

	// --------------------------------------------------------------------------- run

	enum Action {

		CREATE, MCP_INIT, GET, PATCH, MCP_CALL, TERMINATE, ABANDON, RACE, PROBE, STRANGER, MIX

	}

	record Answer(int pod, long sent, long answered, int status, String body, HttpHeaders headers, String note) {

	}

	/** A session as an answer showed it; {@code degraded}: a backend not connected. */
	record View(String id, long version, long seq, String metadata, boolean degraded) {

	}

	record Snapshot(String label, long at, double[] heapMb, long redisBytes, long requests, int live) {

	}

	private final Config config;

	private final HttpClient client;

	private final String[] tokens;

	private final CallerState[] callers;

	private final Recorder[] recorders;

	private final AtomicInteger nextPod = new AtomicInteger();

	/** Until when (run time) each pod is skipped: it refused a connection just before. */
	private final AtomicLongArray podDownUntil;

	private final AtomicLong rpcIds = new AtomicLong();

	private final LongAdder requests = new LongAdder();

	private final Map<String, LongAdder> statusCounts = new ConcurrentHashMap<>();

	private final LongAdder driverErrors = new LongAdder();

	private final LongAdder degradedViews = new LongAdder();

	private final ExecutorService raceExecutor = Executors.newVirtualThreadPerTaskExecutor();

	private final List<String> echoTools = new ArrayList<>();

	private final SoakMix mix;

	private volatile boolean stopping;

	private final long start = System.nanoTime();

	private final long startWall = System.currentTimeMillis();

	Soak(Config config) throws Exception {
		this.config = config;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		PrivateKey key = KeyFactory.getInstance("RSA")
			.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(config.work().resolve("jwt-private.der"))));
		long expiry = System.currentTimeMillis() / 1000 + (long) (config.minutes() * 60) + 3600;
		this.tokens = new String[config.callers()];
		this.callers = new CallerState[config.callers()];
		for (int i = 0; i < config.callers(); i++) {
			this.tokens[i] = jwt(key, "caller-" + (i + 1), expiry);
			this.callers[i] = new CallerState(i);
		}
		this.podDownUntil = new AtomicLongArray(config.pods().size());
		this.recorders = new Recorder[config.workers()];
		for (int i = 0; i < config.workers(); i++) {
			this.recorders[i] = new Recorder();
		}
		// With several members every tool name is shared: the gateway prefixes them.
		for (String backend : config.backendStats().keySet()) {
			this.echoTools.add((config.backendStats().size() > 1) ? backend + "_echo" : "echo");
		}
		this.mix = new SoakMix(this, this.echoTools);
	}

	long now() {
		return System.nanoTime() - this.start;
	}

	long nextRpcId() {
		return this.rpcIds.incrementAndGet();
	}

	HttpClient http() {
		return this.client;
	}

	int podCount() {
		return this.config.pods().size();
	}

	/**
	 * What an echo tool answers to {@code text}: the text itself, prefixed with the
	 * member's name for a 2026-07-28 member (the test suite's stateless server does so).
	 */
	String expectedEcho(String tool, String text) {
		int underscore = tool.indexOf('_');
		String backend = (underscore > 0) ? tool.substring(0, underscore) : tool;
		return this.config.statelessBackends().contains(backend) ? backend + ": " + text : text;
	}

	int run() throws Exception {
		Config c = this.config;
		long duration = (long) (c.minutes() * 60e9);
		System.out.printf(Locale.ROOT,
				"driver  : %d callers (JWT subjects caller-1..%d), %d workers, %.0f requests/s in all, at most %d live "
						+ "sessions per caller, %d MCP session(s) per caller, idle TTL %d s, seed %d%n",
				c.callers(), c.callers(), c.workers(), c.rate(), c.maxLive(), c.mcpPerCaller(),
				TimeUnit.NANOSECONDS.toSeconds(c.idleTtlNs()), c.seed());
		List<Snapshot> snapshots = new ArrayList<>();
		snapshots.add(measure("start", 0));
		printSnapshot(snapshots.get(0), null);

		List<Thread> workers = new ArrayList<>();
		for (int w = 0; w < c.workers(); w++) {
			int index = w;
			Thread thread = Thread.ofPlatform().name("soak-worker-" + w).start(() -> work(index));
			workers.add(thread);
		}
		for (int q = 1; q <= 4; q++) {
			long end = duration * q / 4;
			while (now() < end) {
				Thread.sleep(Math.min(1000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - now()))));
			}
			Snapshot snapshot = measure("end of quarter " + q, q);
			printSnapshot(snapshot, snapshots.get(snapshots.size() - 1));
			snapshots.add(snapshot);
		}
		this.stopping = true;
		for (Thread thread : workers) {
			thread.join(TimeUnit.SECONDS.toMillis(40));
		}
		this.raceExecutor.shutdown();
		this.raceExecutor.awaitTermination(40, TimeUnit.SECONDS);

		// Terminates end backend sessions in the background: give them a moment.
		Thread.sleep(2000);
		Map<String, Long> atLoadEnd = endState();
		long wait = c.idleTtlNs() + TimeUnit.SECONDS.toNanos(5);
		System.out.printf(Locale.ROOT, "%n[%s] load stopped; waiting %d s (one idle TTL and 5 s) with no load%n",
				clock(now()), TimeUnit.NANOSECONDS.toSeconds(wait));
		Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
		Map<String, Long> afterIdle = endState();
		Snapshot last = measure("after the idle wait", 5);
		if (listOpenBackendSessions("still open after the idle wait")) {
			// Whether they end late or never: another idle TTL tells.
			Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
			listOpenBackendSessions("still open one more idle TTL later");
		}

		List<Event> history = new ArrayList<>();
		for (Recorder recorder : this.recorders) {
			history.addAll(recorder.snapshot());
		}
		history.sort(Comparator.comparingLong(Event::sent));
		writeHistory(history);
		return report(history, snapshots, last, atLoadEnd, afterIdle);
	}

	void work(int index) {
		Random random = new Random(this.config.seed() * 31 + index);
		Recorder recorder = this.recorders[index];
		long interval = (long) (1e9 * this.config.workers() / this.config.rate());
		long next = now() + random.nextLong(interval);
		while (!this.stopping) {
			long wait = next - now();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
				continue;
			}
			// Behind schedule (slow answers): carry on without a burst to catch up.
			next = Math.max(next + interval, now() - interval);
			CallerState caller = this.callers[random.nextInt(this.callers.length)];
			try {
				step(caller, random, recorder);
			}
			catch (RuntimeException ex) {
				this.driverErrors.increment();
				if (this.driverErrors.sum() <= 5) {
					System.err.println("driver error (not counted as a request): " + ex);
					ex.printStackTrace();
				}
			}
		}
	}

	Action choose(CallerState caller, Random random) {
		caller.housekeep(now(), this.config.idleTtlNs());
		int live = caller.live();
		int max = this.config.maxLive();
		if (caller.activeMcp() < this.config.mcpPerCaller() && live < max) {
			return Action.MCP_INIT;
		}
		// Creates outweigh terminates and abandons below half the quota, and the reverse
		// above: the population hovers around half the quota.
		int create = (live >= max) ? 0 : (live < max / 2) ? 16 : 4;
		int[] weights = { create, 0, 40, 18, (this.config.mcpPerCaller() > 0) ? 8 : 0, 6, 3, 2, 5, 3,
				this.config.mixWeight() };
		int total = 0;
		for (int w : weights) {
			total += w;
		}
		int r = random.nextInt(total);
		Action[] actions = Action.values();
		for (int i = 0; i < weights.length; i++) {
			r -= weights[i];
			if (r < 0) {
				return actions[i];
			}
		}
		throw new IllegalStateException();
	}

	void step(CallerState caller, Random random, Recorder recorder) {
		Action action = choose(caller, random);
		switch (action) {
			case CREATE -> create(caller, random, recorder);
			case MCP_INIT -> mcpInit(caller, recorder);
			case GET -> {
				Tracked t = caller.pick(random, false);
				if (t != null) {
					get(caller, t, Op.GET, recorder);
				}
			}
			case PATCH -> {
				Tracked t = caller.pick(random, false);
				if (t != null) {
					patch(caller, t, Op.PATCH, random, recorder);
				}
			}
			case MCP_CALL -> {
				Tracked t = caller.pick(random, true);
				if (t != null) {
					mcpCall(caller, t, Op.MCP_CALL, nextPod(), random, recorder);
				}
			}
			case TERMINATE -> {
				Tracked t = caller.take(random);
				if (t != null) {
					afterTerminate(caller, t, terminate(t, nextPod(), random, recorder));
				}
			}
			case ABANDON -> {
				Tracked t = caller.take(random);
				if (t != null) {
					caller.abandon(t);
				}
			}
			case RACE -> race(caller, random, recorder);
			case PROBE -> probe(caller, random, recorder);
			case STRANGER -> stranger(caller, random, recorder);
			case MIX -> this.mix.step(caller, random, recorder);
		}
	}

	// --------------------------------------------------------------------------- operations

	void create(CallerState caller, Random random, Recorder recorder) {
		if (!caller.reserve(this.config.maxLive(), false)) {
			return;
		}
		Tracked created = null;
		try {
			String body = "{\"metadata\":{\"caller\":\"caller-" + (caller.index + 1) + "\",\"seq\":\"0\"}}";
			Answer answer = exchange(recorder, null, caller.index, Op.CREATE, nextPod(),
					(pod) -> rest(pod, caller.index, "/api/v1/sessions").header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body)));
			View view = null;
			int status = answer.status();
			String note = answer.note();
			if (status == 201) {
				view = parseView(answer.body());
				if (view == null) {
					status = BAD_ANSWER;
					note = "not a session: " + abbreviate(answer.body());
				}
			}
			record(recorder, (view != null) ? view.id() : null, caller.index, Op.CREATE, answer, status, view, note);
			if (view != null) {
				created = new Tracked(view.id(), caller.index, false, answer.answered());
				created.learn(view.version(), view.seq());
			}
		}
		finally {
			caller.created(created, false);
		}
	}

	void get(CallerState caller, Tracked t, Op op, Recorder recorder) {
		Answer answer = exchange(recorder, t.id, caller.index, op, nextPod(),
				(pod) -> rest(pod, caller.index, "/api/v1/sessions/" + t.id).GET());
		recordView(recorder, caller, t, op, answer);
	}

	void patch(CallerState caller, Tracked t, Op op, Random random, Recorder recorder) {
		long[] known = t.known();
		if (known[0] < 0) {
			get(caller, t, (op == Op.PATCH) ? Op.GET : Op.PROBE_GET, recorder);
			return;
		}
		String value = (random.nextInt(4) == 0) ? "null" : "\"v" + random.nextInt(1000) + "\"";
		String body = "{\"seq\":\"" + (known[1] + 1) + "\",\"k" + random.nextInt(4) + "\":" + value + "}";
		Answer answer = exchange(recorder, t.id, caller.index, op, nextPod(),
				(pod) -> rest(pod, caller.index, "/api/v1/sessions/" + t.id + "/metadata")
					.header("Content-Type", "application/merge-patch+json")
					.header("If-Match", "\"" + known[0] + "\"")
					.method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
		recordView(recorder, caller, t, op, answer);
		if (answer.status() == 412 && op == Op.PATCH) {
			// Someone moved the version on (another patch, a backend hint): read it again.
			get(caller, t, Op.GET, recorder);
		}
	}

	/** Records a GET or PATCH answer; a 200 must show the session asked for. */
	private void recordView(Recorder recorder, CallerState caller, Tracked t, Op op, Answer answer) {
		int status = answer.status();
		String note = answer.note();
		View view = null;
		if (status == 200) {
			view = parseView(answer.body());
			if (view == null || !view.id().equals(t.id)) {
				status = BAD_ANSWER;
				note = "not this session: " + abbreviate(answer.body());
				view = null;
			}
			else {
				t.learn(view.version(), view.seq());
			}
		}
		t.answered(answer.answered());
		record(recorder, t.id, caller.index, op, answer, status, view, note);
		if (status == 404 && (op == Op.GET || op == Op.PATCH)) {
			caller.end(t);
		}
	}

	void mcpInit(CallerState caller, Recorder recorder) {
		if (!caller.reserve(this.config.maxLive(), true)) {
			return;
		}
		Tracked created = null;
		try {
			String body = "{\"jsonrpc\":\"2.0\",\"id\":" + this.rpcIds.incrementAndGet()
					+ ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + PROTOCOL_VERSION
					+ "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"soak\",\"version\":\"1\"}}}";
			Answer answer = exchange(recorder, null, caller.index, Op.MCP_INIT, nextPod(),
					(pod) -> mcp(pod, caller.index, null).POST(HttpRequest.BodyPublishers.ofString(body)));
			String id = (answer.headers() != null) ? answer.headers().firstValue("Mcp-Session-Id").orElse(null) : null;
			int status = answer.status();
			String note = answer.note();
			if (status == 200 && (id == null || rpcResult(answer.body()) == null)) {
				status = BAD_ANSWER;
				note = "no session or no result: " + abbreviate(answer.body());
				id = null;
			}
			record(recorder, id, caller.index, Op.MCP_INIT, answer, status, null, note);
			if (id == null) {
				return;
			}
			String sessionId = id;
			Answer notified = exchange(recorder, id, caller.index, Op.MCP_NOTIFY, nextPod(),
					(pod) -> mcp(pod, caller.index, sessionId).POST(HttpRequest.BodyPublishers
						.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")));
			record(recorder, id, caller.index, Op.MCP_NOTIFY, notified, notified.status(), null, notified.note());
			created = new Tracked(id, caller.index, true, notified.answered());
		}
		finally {
			caller.created(created, true);
		}
	}

	Answer mcpCall(CallerState caller, Tracked t, Op op, int firstPod, Random random, Recorder recorder) {
		String text = "soak-" + Long.toHexString(random.nextLong());
		String tool = this.echoTools.get(random.nextInt(this.echoTools.size()));
		String body = "{\"jsonrpc\":\"2.0\",\"id\":" + this.rpcIds.incrementAndGet()
				+ ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{\"text\":\"" + text
				+ "\"}}}";
		int owner = (op == Op.STRANGER_MCP_CALL) ? stranger(caller.index, random) : caller.index;
		Answer answer = exchange(recorder, t.id, caller.index, op, firstPod,
				(pod) -> mcp(pod, owner, t.id).POST(HttpRequest.BodyPublishers.ofString(body)));
		int status = answer.status();
		String note = answer.note();
		if (status == 200) {
			JsonNode result = rpcResult(answer.body());
			String echoed = (result != null) ? result.path("content").path(0).path("text").asString("") : "";
			if (result == null || result.path("isError").asBoolean(false)) {
				status = BAD_ANSWER;
				note = "error answer from " + tool + ": " + abbreviate(answer.body());
			}
			else if (!echoed.equals(expectedEcho(tool, text))) {
				status = BAD_ANSWER;
				note = "wrong echo from " + tool + ": sent " + text + ", got " + echoed;
			}
		}
		if (op != Op.STRANGER_MCP_CALL) {
			t.answered(answer.answered());
		}
		record(recorder, t.id, caller.index, op, answer, status, null, (op == Op.STRANGER_MCP_CALL)
				? "as caller-" + (owner + 1) + ((note != null) ? "; " + note : "") : note);
		if (status == 404 && op == Op.MCP_CALL) {
			caller.end(t);
		}
		return answer;
	}

	/** Terminates over REST, or over MCP for most MCP sessions; returns the final answer. */
	Answer terminate(Tracked t, int firstPod, Random random, Recorder recorder) {
		boolean viaMcp = t.mcp && random.nextInt(10) < 7;
		Op op = viaMcp ? Op.MCP_DELETE : Op.DELETE;
		Answer answer = exchange(recorder, t.id, t.caller, op, firstPod,
				(pod) -> viaMcp ? mcp(pod, t.caller, t.id).DELETE()
						: rest(pod, t.caller, "/api/v1/sessions/" + t.id).DELETE());
		t.answered(answer.answered());
		record(recorder, t.id, t.caller, op, answer, answer.status(), null, answer.note());
		return answer;
	}

	void afterTerminate(CallerState caller, Tracked t, Answer answer) {
		if (answer.status() == 204 || answer.status() == 200 || answer.status() == 404) {
			caller.end(t);
		}
		else {
			// Unknown outcome: let it expire, then probe it.
			caller.abandon(t);
		}
	}

	/**
	 * A terminate on one pod and, at the same moment, a use of the same session on another:
	 * whichever wins, no use sent after the terminate was acknowledged may succeed.
	 */
	void race(CallerState caller, Random random, Recorder recorder) {
		Tracked t = caller.take(random);
		if (t == null) {
			return;
		}
		int deletePod = nextPod();
		int usePod = (deletePod + 1) % this.config.pods().size();
		int kind = random.nextInt(t.mcp ? 3 : 2);
		Recorder useRecorder = new Recorder();
		CompletableFuture<Void> use = CompletableFuture.runAsync(() -> {
			switch (kind) {
				case 0 -> {
					Answer answer = exchange(useRecorder, t.id, caller.index, Op.GET, usePod,
							(pod) -> rest(pod, caller.index, "/api/v1/sessions/" + t.id).GET());
					recordRaceView(useRecorder, caller, t, Op.GET, answer);
				}
				case 1 -> {
					long[] known = t.known();
					Answer answer = exchange(useRecorder, t.id, caller.index, Op.PATCH, usePod,
							(pod) -> rest(pod, caller.index, "/api/v1/sessions/" + t.id + "/metadata")
								.header("Content-Type", "application/merge-patch+json")
								.method("PATCH", HttpRequest.BodyPublishers
									.ofString("{\"race\":\"" + known[0] + "\"}")));
					// No If-Match: the patch must land before the terminate or fail. It leaves
					// seq alone, which only patches with If-Match advance.
					recordRaceView(useRecorder, caller, t, Op.PATCH, answer);
				}
				default -> mcpCall(caller, t, Op.MCP_CALL, usePod, new Random(random.nextLong()), useRecorder);
			}
		}, this.raceExecutor);
		Answer terminated = terminate(t, deletePod, random, recorder);
		use.join();
		useRecorder.snapshot().forEach(recorder::add);
		afterTerminate(caller, t, terminated);
	}

	private void recordRaceView(Recorder recorder, CallerState caller, Tracked t, Op op, Answer answer) {
		int status = answer.status();
		String note = answer.note();
		View view = null;
		if (status == 200) {
			view = parseView(answer.body());
			if (view == null || !view.id().equals(t.id)) {
				status = BAD_ANSWER;
				note = "not this session: " + abbreviate(answer.body());
				view = null;
			}
		}
		record(recorder, t.id, caller.index, op, answer, status, view, (note != null) ? note : "race");
	}

	/** A request on a session that has ended (terminated, or left to expire past its TTL). */
	void probe(CallerState caller, Random random, Recorder recorder) {
		Tracked t = caller.pickEnded(random);
		if (t == null) {
			return;
		}
		int kind = random.nextInt(t.mcp ? 3 : 2);
		switch (kind) {
			case 0 -> get(caller, t, Op.PROBE_GET, recorder);
			case 1 -> patch(caller, t, Op.PROBE_PATCH, random, recorder);
			default -> mcpCall(caller, t, Op.PROBE_MCP_CALL, nextPod(), random, recorder);
		}
	}

	/** Another caller's request on a live session: 404, and the session untouched. */
	void stranger(CallerState caller, Random random, Recorder recorder) {
		if (this.callers.length < 2) {
			return;
		}
		Tracked t = caller.pick(random, false);
		if (t == null) {
			return;
		}
		int other = stranger(caller.index, random);
		int kind = random.nextInt(t.mcp ? 4 : 3);
		if (kind == 3) {
			mcpCall(caller, t, Op.STRANGER_MCP_CALL, nextPod(), random, recorder);
			return;
		}
		Op op = switch (kind) {
			case 0 -> Op.STRANGER_GET;
			case 1 -> Op.STRANGER_PATCH;
			default -> Op.STRANGER_DELETE;
		};
		Answer answer = exchange(recorder, t.id, caller.index, op, nextPod(), (pod) -> {
			HttpRequest.Builder request = rest(pod, other,
					"/api/v1/sessions/" + t.id + ((op == Op.STRANGER_PATCH) ? "/metadata" : ""));
			return switch (op) {
				case STRANGER_GET -> request.GET();
				case STRANGER_PATCH -> request.header("Content-Type", "application/merge-patch+json")
					.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"stranger\":\"was here\"}"));
				default -> request.DELETE();
			};
		});
		record(recorder, t.id, caller.index, op, answer, answer.status(), null,
				"as caller-" + (other + 1) + ((answer.note() != null) ? "; " + answer.note() : ""));
	}

	private int stranger(int caller, Random random) {
		return (caller + 1 + random.nextInt(this.callers.length - 1)) % this.callers.length;
	}

	// --------------------------------------------------------------------------- HTTP

	/**
	 * Round robin over the pods, skipping for a second one that refused a connection, as a
	 * load balancer takes a pod out that fails its probes.
	 */
	int nextPod() {
		int pods = this.config.pods().size();
		int pod = Math.floorMod(this.nextPod.getAndIncrement(), pods);
		long now = now();
		for (int i = 0; i < pods; i++) {
			int candidate = (pod + i) % pods;
			if (this.podDownUntil.get(candidate) <= now) {
				return candidate;
			}
		}
		return pod;
	}

	HttpRequest.Builder rest(int pod, int caller, String path) {
		return HttpRequest.newBuilder(this.config.pods().get(pod).resolve(path))
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + this.tokens[caller]);
	}

	HttpRequest.Builder mcp(int pod, int caller, String session) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.config.pods().get(pod).resolve("/mcp"))
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + this.tokens[caller])
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream");
		if (session != null) {
			request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL_VERSION);
		}
		return request;
	}

	/**
	 * Sends the request to {@code firstPod}; a refused connection (a pod restarting) is
	 * recorded and the request sent to the next pod, up to once per pod. The final answer
	 * is returned, not recorded.
	 */
	Answer exchange(Recorder recorder, String session, int caller, Op op, int firstPod,
			IntFunction<HttpRequest.Builder> request) {
		int pods = this.config.pods().size();
		Answer answer = null;
		for (int attempt = 0; attempt < pods; attempt++) {
			if (answer != null) {
				record(recorder, session, caller, op, answer, answer.status(), null, answer.note());
			}
			int pod = (firstPod + attempt) % pods;
			long sent = now();
			try {
				HttpResponse<String> response = this.client.send(request.apply(pod).build(),
						HttpResponse.BodyHandlers.ofString());
				return new Answer(pod, sent, now(), response.statusCode(), response.body(), response.headers(), null);
			}
			catch (HttpTimeoutException ex) {
				return new Answer(pod, sent, now(), TIMEOUT, "", null, ex.toString());
			}
			catch (IOException ex) {
				if (!refused(ex)) {
					return new Answer(pod, sent, now(), IO_ERROR, "", null, ex.toString());
				}
				answer = new Answer(pod, sent, now(), REFUSED, "", null, "connection refused");
				this.podDownUntil.set(pod, now() + TimeUnit.SECONDS.toNanos(1));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return answer;
	}

	private static boolean refused(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
	}

	void record(Recorder recorder, String session, int caller, Op op, Answer answer, int status, View view,
			String note) {
		this.requests.increment();
		if (view != null && view.degraded()) {
			this.degradedViews.increment();
		}
		this.statusCounts.computeIfAbsent(op.label() + " " + statusLabel(status), (k) -> new LongAdder())
			.increment();
		recorder.add(new Event(session, caller, op, answer.pod(), answer.sent(), answer.answered(), status,
				(view != null) ? view.version() : -1, (view != null) ? view.seq() : -1,
				(view != null) ? view.metadata() : null, note));
	}

	static String statusLabel(int status) {
		return switch (status) {
			case REFUSED -> "refused";
			case TIMEOUT -> "timeout";
			case IO_ERROR -> "io-error";
			case BAD_ANSWER -> "bad-answer";
			default -> Integer.toString(status);
		};
	}

	static View parseView(String body) {
		try {
			JsonNode node = JSON.readTree(body);
			JsonNode id = node.get("id");
			JsonNode version = node.get("version");
			JsonNode metadata = node.get("metadata");
			if (id == null || version == null || metadata == null || !metadata.isObject()) {
				return null;
			}
			TreeMap<String, String> values = new TreeMap<>();
			metadata.properties().forEach((e) -> values.put(e.getKey(), e.getValue().asString()));
			long seq = Long.parseLong(values.getOrDefault("seq", "0"));
			boolean degraded = false;
			for (JsonNode backend : node.path("backends")) {
				degraded |= !backend.path("state").asString("").equals("connected");
			}
			return new View(id.asString(), version.asLong(), seq, values.toString(), degraded);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The {@code result} of the JSON-RPC response in a JSON body or an event stream. */
	static JsonNode rpcResult(String body) {
		List<String> candidates = new ArrayList<>();
		if (body.stripLeading().startsWith("{")) {
			candidates.add(body);
		}
		else {
			StringBuilder data = new StringBuilder();
			for (String line : body.split("\r?\n", -1)) {
				if (line.startsWith("data:")) {
					data.append(line.substring(5).strip());
				}
				else if (line.isEmpty() && !data.isEmpty()) {
					candidates.add(data.toString());
					data.setLength(0);
				}
			}
			if (!data.isEmpty()) {
				candidates.add(data.toString());
			}
		}
		for (String candidate : candidates) {
			try {
				JsonNode message = JSON.readTree(candidate);
				if (message.has("id") && message.has("result")) {
					return message.get("result");
				}
			}
			catch (RuntimeException ex) {
				// not JSON: not the response
			}
		}
		return null;
	}

	static String abbreviate(String text) {
		String flat = text.replaceAll("\\s+", " ");
		return (flat.length() > 200) ? flat.substring(0, 200) + "..." : flat;
	}

	// --------------------------------------------------------------------------- measurements

	Snapshot measure(String label, int index) {
		double[] heaps = new double[this.config.pods().size()];
		for (int pod = 0; pod < heaps.length; pod++) {
			heaps[pod] = heapAfterGcMb(pod);
		}
		int live = 0;
		for (CallerState caller : this.callers) {
			live += caller.live();
		}
		return new Snapshot(label, now(), heaps, redisUsedMemory(), this.requests.sum(), live);
	}

	/** {@code jcmd GC.run}, then the heap in use; NaN when the pod is down or restarting. */
	double heapAfterGcMb(int pod) {
		try {
			Path pidFile = this.config.work().resolve("pod-" + (pod + 1) + ".pid");
			String pid = Files.readString(pidFile).strip();
			String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
			if (command(jcmd, pid, "GC.run") == null) {
				return Double.NaN;
			}
			String info = command(jcmd, pid, "GC.heap_info");
			Matcher used = Pattern.compile("used (\\d+)K").matcher((info != null) ? info : "");
			return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

	long redisUsedMemory() {
		String info = command("redis-cli", "-p", Integer.toString(this.config.redisPort()), "INFO", "memory");
		Matcher used = Pattern.compile("(?m)^used_memory:(\\d+)").matcher((info != null) ? info : "");
		return used.find() ? Long.parseLong(used.group(1)) : -1;
	}

	/** Live records in Redis and each backend's open sessions. */
	/**
	 * How long after a session's record expires its backend sessions may still be open: the
	 * pod's cache wakes up to about a second late, a record found live a moment before its
	 * expiry is read again a second after it, then the DELETE is sent.
	 */
	static final Duration BACKEND_END_LAG = Duration.ofSeconds(3);

	Map<String, Long> endState() {
		Map<String, Long> state = new LinkedHashMap<>();
		String script = "local a, t = 0, 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do "
				+ "if redis.call('TYPE', k).ok == 'hash' then local s = redis.call('HGET', k, 'state') "
				+ "if s == 'terminated' then t = t + 1 elseif s then a = a + 1 end end end return {a, t}";
		String counts = command("redis-cli", "-p", Integer.toString(this.config.redisPort()), "EVAL", script, "0",
				this.config.keyPrefix() + "*");
		String[] lines = (counts != null) ? counts.strip().split("\\s+") : new String[0];
		state.put("redis live records", (lines.length == 2) ? Long.parseLong(lines[0]) : -1);
		state.put("redis tombstones", (lines.length == 2) ? Long.parseLong(lines[1]) : -1);
		// What crosses pods between two requests of a call: parked calls (Multi Round-Trip
		// Requests) and the event logs of 2025 streams, each kept only for its window.
		state.put("redis parked calls", countKeys(this.config.keyPrefix() + "parked:{*"));
		state.put("redis event logs", countKeys(this.config.keyPrefix() + "events:{*"));
		// Nothing is created any more: every session that was not live at the count above
		// must have its backend sessions ended within BACKEND_END_LAG of its expiry, so the
		// backends are counted that much later.
		try {
			Thread.sleep(BACKEND_END_LAG.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long podsLive = 0;
		for (int pod = 0; pod < this.config.pods().size(); pod++) {
			podsLive += Math.max(0, podGauge(pod, "vmcp.sessions.live"));
		}
		state.put("pods' vmcp.sessions.live, summed", podsLive);
		this.config.backendStats().forEach((name, url) -> {
			Map<String, Long> stats = backendStats(url);
			for (String figure : List.of("open", "initialized", "deleted")) {
				state.put("backend " + name + " " + figure, stats.getOrDefault(figure, -1L));
			}
		});
		return state;
	}

	/** The keys matching {@code pattern}, -1 when Redis could not be asked. */
	long countKeys(String pattern) {
		String count = command("redis-cli", "-p", Integer.toString(this.config.redisPort()), "EVAL",
				"return #redis.call('KEYS', ARGV[1])", "0", pattern);
		try {
			return (count != null) ? Long.parseLong(count.strip()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	long podGauge(int pod, String metric) {
		try {
			HttpResponse<String> response = this.client.send(
					HttpRequest.newBuilder(this.config.pods().get(pod).resolve("/actuator/metrics/" + metric))
						.timeout(Duration.ofSeconds(10))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200)
					? JSON.readTree(response.body()).path("measurements").path(0).path("value").asLong(-1) : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * Prints the backend sessions still open, each with when it was initialized and last
	 * used, to be looked up in the pods' logs (DEBUG of {@code dev.vmcp.sessions.session}
	 * names every backend session opened and ended).
	 * @return whether any is open
	 */
	boolean listOpenBackendSessions(String heading) {
		boolean any = false;
		for (Map.Entry<String, URI> backend : this.config.backendStats().entrySet()) {
			try {
				HttpResponse<String> response = this.client.send(
						HttpRequest.newBuilder(backend.getValue()).timeout(Duration.ofSeconds(10)).build(),
						HttpResponse.BodyHandlers.ofString());
				for (String line : response.body().split("\n")) {
					if (line.startsWith("session ")) {
						if (!any) {
							System.out.printf(Locale.ROOT, "%nBackend sessions %s:%n", heading);
						}
						any = true;
						System.out.printf(Locale.ROOT, "  %s %s%n", backend.getKey(), line);
					}
				}
			}
			catch (IOException ex) {
				System.out.printf(Locale.ROOT, "  %s: stats not read (%s)%n", backend.getKey(), ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return any;
			}
		}
		return any;
	}

	/** A backend's figures: {@code open}, {@code initialized} and {@code deleted} sessions. */
	Map<String, Long> backendStats(URI stats) {
		Map<String, Long> figures = new HashMap<>();
		try {
			HttpResponse<String> response = this.client.send(
					HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher line = Pattern.compile("(?m)^(\\w+) (\\d+)$").matcher(response.body());
			while (line.find()) {
				figures.put(line.group(1), Long.parseLong(line.group(2)));
			}
		}
		catch (IOException ex) {
			// no figures: the targets fail
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return figures;
	}

	/** The output of a command, or null when it failed or took more than 30 s. */
	static String command(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
				try {
					return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					return "";
				}
			});
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return null;
			}
			String text = output.get(5, TimeUnit.SECONDS);
			return (process.exitValue() == 0) ? text : null;
		}
		catch (Exception ex) {
			return null;
		}
	}

	void printSnapshot(Snapshot snapshot, Snapshot previous) {
		StringBuilder heaps = new StringBuilder();
		for (int pod = 0; pod < snapshot.heapMb().length; pod++) {
			heaps.append(String.format(Locale.ROOT, " pod%d %s", pod + 1, mb(snapshot.heapMb()[pod])));
		}
		String load = "";
		if (previous != null) {
			double seconds = (snapshot.at() - previous.at()) / 1e9;
			load = String.format(Locale.ROOT, "; %d requests (%.0f/s)", snapshot.requests() - previous.requests(),
					(snapshot.requests() - previous.requests()) / seconds);
		}
		System.out.printf(Locale.ROOT, "[%s] %-18s heap after GC (MB):%s; Redis used_memory %s; live sessions %d%s%n",
				clock(snapshot.at()), snapshot.label(), heaps, kb(snapshot.redisBytes()), snapshot.live(), load);
	}

	static String mb(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
	}

	static String kb(long bytes) {
		return (bytes < 0) ? "n/a" : String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
	}

	static String clock(long ns) {
		long seconds = TimeUnit.NANOSECONDS.toSeconds(ns);
		return String.format(Locale.ROOT, "%2d:%02d", seconds / 60, seconds % 60);
	}

	// --------------------------------------------------------------------------- checking

	record Violation(String kind, Event event, Event evidence) {

	}

	/** Judges a history; see the class comment for what it reports. */
	static final class Checker {

		private final long ttl;

		Checker(long idleTtlNs) {
			this.ttl = idleTtlNs;
		}

		List<Violation> check(List<Event> history) {
			Map<String, List<Event>> bySession = new HashMap<>();
			for (Event event : history) {
				if (event.session() != null) {
					bySession.computeIfAbsent(event.session(), (k) -> new ArrayList<>()).add(event);
				}
			}
			List<Violation> violations = new ArrayList<>();
			for (List<Event> events : bySession.values()) {
				events.sort(Comparator.comparingLong(Event::sent));
				checkSession(events, violations);
			}
			for (Event event : history) {
				if (event.status() == BAD_ANSWER && event.note() != null && event.note().startsWith("wrong echo")) {
					violations.add(new Violation("an MCP tools/call answered with another text than the one sent", event,
							null));
				}
				if (event.status() == BAD_ANSWER && event.note() != null && event.note().startsWith("wrong answer")) {
					violations.add(new Violation("a 2026-07-28 request, a Multi Round-Trip Request or a resumed stream "
							+ "got another answer than the one expected", event, null));
				}
			}
			violations.sort(Comparator.comparingLong((Violation v) -> v.event().sent()));
			return violations;
		}

		void checkSession(List<Event> events, List<Violation> violations) {
			long ttl = this.ttl;
			Event acknowledgedTerminate = null;
			for (Event e : events) {
				if (e.op().isTerminate() && e.succeeded()
						&& (acknowledgedTerminate == null || e.answered() < acknowledgedTerminate.answered())) {
					acknowledgedTerminate = e;
				}
			}
			Map<Long, Event> byVersion = new HashMap<>();
			for (Event e : events) {
				// A use sent after a terminate was acknowledged must fail.
				if (acknowledgedTerminate != null && e.op().isUse() && e.succeeded()
						&& e.sent() > acknowledgedTerminate.answered()) {
					violations.add(new Violation("a use succeeded after its session's terminate was acknowledged", e,
							acknowledgedTerminate));
				}
				if (e.op().isStranger() && e.status() >= 200 && e.status() < 300) {
					violations.add(new Violation("another caller's request on a session succeeded", e, null));
				}
				// One version, one record.
				if (e.metadata() != null) {
					Event same = byVersion.putIfAbsent(e.version(), e);
					if (same != null && !same.metadata().equals(e.metadata())) {
						violations.add(new Violation("two answers show the same version with different metadata", e, same));
					}
				}
			}
			for (Event read : events) {
				if (!read.op().isRead() || read.metadata() == null) {
					continue;
				}
				// Every answer read before this read was sent: none may be newer.
				Event newest = null;
				Event newestWrite = null;
				for (Event before : events) {
					if (before.sent() >= read.sent()) {
						break;
					}
					if (before.metadata() == null || before.answered() >= read.sent()) {
						continue;
					}
					if ((before.op() == Op.PATCH || before.op() == Op.PROBE_PATCH) && before.succeeded()
							&& (before.version() > read.version() || before.seq() > read.seq())) {
						newestWrite = (newestWrite == null || before.version() > newestWrite.version()) ? before
								: newestWrite;
					}
					if (before.version() > read.version() && (newest == null || before.version() > newest.version())) {
						newest = before;
					}
				}
				if (newestWrite != null) {
					violations.add(new Violation("lost acknowledged write: a read shows an older version or metadata "
							+ "than a PATCH acknowledged before it was sent", read, newestWrite));
				}
				else if (newest != null) {
					violations.add(new Violation("stale read: a read shows an older version than an answer read "
							+ "before it was sent", read, newest));
				}
			}
			for (Event e : events) {
				if (e.op().isUse() && e.succeeded()) {
					// The latest moment anything before it can have slid the idle TTL.
					long lastAnswer = -1;
					Event latest = null;
					for (Event other : events) {
						if (other.sent() >= e.answered()) {
							break;
						}
						if (other != e && other.answered() > lastAnswer) {
							lastAnswer = other.answered();
							latest = other;
						}
					}
					if (latest != null && e.sent() > lastAnswer + ttl + TTL_MARGIN_NS) {
						violations.add(new Violation("a session outlived its idle TTL: used with success more than one "
								+ "idle TTL after every earlier request on it had been answered", e, latest));
					}
				}
				boolean ownerNotFound = e.status() == 404 && (e.op().isUse() || e.op().isTerminate());
				if (ownerNotFound) {
					boolean terminateSent = false;
					long lastSlide = -1;
					Event slid = null;
					for (Event other : events) {
						if (other.sent() >= e.answered()) {
							break;
						}
						if (other != e && other.op().isTerminate()) {
							terminateSent = true;
						}
						boolean slides = (other.op().isUse() || other.op().isCreate()) && other.succeeded();
						if (other != e && slides && other.answered() < e.sent() && other.sent() > lastSlide) {
							lastSlide = other.sent();
							slid = other;
						}
					}
					if (!terminateSent && slid != null && e.answered() < lastSlide + ttl - TTL_MARGIN_NS) {
						violations.add(new Violation("a live session was not found: 404 less than one idle TTL after a "
								+ "successful use, and no terminate sent", e, slid));
					}
				}
			}
		}

	}

	// --------------------------------------------------------------------------- checking the checker

	/** Made-up histories of one session, each with what the checker must find in it. */
	static final class SelfTest {

		private static final long TTL = TimeUnit.SECONDS.toNanos(30);

		static boolean run() {
			List<Event> clean = List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.GET, 1000, 1100, 200, 2, 0, "{seq=0}"), ev(Op.PATCH, 2000, 2100, 200, 3, 1, "{k1=v, seq=1}"),
					ev(Op.GET, 3000, 3100, 200, 3, 1, "{k1=v, seq=1}"),
					// A GET racing with the terminate may see the session.
					ev(Op.GET, 4050, 4200, 200, 3, 1, "{k1=v, seq=1}"), ev(Op.DELETE, 4000, 4100, 204, -1, -1, null),
					ev(Op.PROBE_GET, 5000, 5100, 404, -1, -1, null),
					ev(Op.STRANGER_GET, 3500, 3600, 404, -1, -1, null));
			List<Event> expired = List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					// 404 after one idle TTL: expired. 200 within TTL + margin: still there.
					ev(Op.GET, 31_000, 31_100, 200, 2, 0, "{seq=0}"), ev(Op.PROBE_GET, 70_000, 70_100, 404, -1, -1, null));
			Map<String, List<Event>> cases = new LinkedHashMap<>();
			cases.put("", concat(clean, expired));
			cases.put("a use succeeded after", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.DELETE, 1000, 1100, 204, -1, -1, null), ev(Op.MCP_CALL, 1200, 1300, 200, -1, -1, null)));
			cases.put("lost acknowledged write", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.PATCH, 1000, 1100, 200, 3, 1, "{seq=1}"), ev(Op.GET, 1200, 1300, 200, 2, 0, "{seq=0}")));
			cases.put("stale read", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.GET, 1000, 1100, 200, 3, 0, "{seq=0}"), ev(Op.GET, 1200, 1300, 200, 2, 0, "{seq=0}")));
			cases.put("two answers show the same version", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.GET, 1000, 1100, 200, 2, 0, "{a=1, seq=0}")));
			cases.put("a session outlived its idle TTL", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.GET, 33_000, 33_100, 200, 2, 0, "{seq=0}")));
			cases.put("a live session was not found", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.GET, 10_000, 10_100, 200, 2, 0, "{seq=0}"), ev(Op.PATCH, 20_000, 20_100, 404, -1, -1, null)));
			cases.put("another caller's request", List.of(ev(Op.CREATE, 0, 100, 201, 2, 0, "{seq=0}"),
					ev(Op.STRANGER_DELETE, 1000, 1100, 204, -1, -1, null)));
			cases.put("an MCP tools/call answered with another text",
					List.of(new Event("s", 0, Op.MCP_CALL, 0, ms(1000), ms(1100), BAD_ANSWER, -1, -1, null,
							"wrong echo from alpha_echo: sent a, got b")));
			int passed = 0;
			for (Map.Entry<String, List<Event>> entry : cases.entrySet()) {
				List<Violation> found = new Checker(TTL).check(new ArrayList<>(entry.getValue()));
				boolean ok = entry.getKey().isEmpty() ? found.isEmpty()
						: found.size() == 1 && found.get(0).kind().startsWith(entry.getKey());
				if (ok) {
					passed++;
				}
				else {
					System.out.println("history checker self-test FAILED for \""
							+ (entry.getKey().isEmpty() ? "no violation" : entry.getKey()) + "\": found "
							+ found.stream().map(Violation::kind).toList());
				}
			}
			System.out.printf(Locale.ROOT, "history checker: %d of %d made-up histories judged right%n", passed,
					cases.size());
			return passed == cases.size();
		}

		private static Event ev(Op op, long sentMs, long answeredMs, int status, long version, long seq,
				String metadata) {
			return new Event("s", 0, op, 0, ms(sentMs), ms(answeredMs), status, version, seq, metadata, null);
		}

		private static long ms(long ms) {
			return TimeUnit.MILLISECONDS.toNanos(ms);
		}

		/** The second history as another session, so that both are judged apart. */
		private static List<Event> concat(List<Event> first, List<Event> second) {
			List<Event> all = new ArrayList<>(first);
			for (Event e : second) {
				all.add(new Event("other", e.caller(), e.op(), e.pod(), e.sent(), e.answered(), e.status(),
						e.version(), e.seq(), e.metadata(), e.note()));
			}
			return all;
		}

	}

	// --------------------------------------------------------------------------- the report

	/** A pod's restart, from the TERM sent to it until a few seconds after it was ready again. */
	record Window(int pod, long fromWall, long toWall) {

	}

	List<Window> restartWindows() {
		List<Window> windows = new ArrayList<>();
		Path log = this.config.work().resolve("restarts.log");
		if (!Files.exists(log)) {
			return windows;
		}
		Map<Integer, Long> open = new HashMap<>();
		try {
			for (String line : Files.readAllLines(log)) {
				String[] f = line.strip().split("\\s+");
				if (f.length < 3) {
					continue;
				}
				long at = Long.parseLong(f[0]);
				int pod = Integer.parseInt(f[1]) - 1;
				switch (f[2]) {
					case "term" -> open.put(pod, at);
					case "ready", "failed" -> {
						Long from = open.remove(pod);
						if (from != null) {
							windows.add(new Window(pod, from, f[2].equals("ready") ? at + 5000 : Long.MAX_VALUE));
						}
					}
					default -> {
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		open.forEach((pod, from) -> windows.add(new Window(pod, from, Long.MAX_VALUE)));
		return windows;
	}

	boolean duringRestart(Event e, List<Window> windows) {
		long from = this.startWall + TimeUnit.NANOSECONDS.toMillis(e.sent());
		long to = this.startWall + TimeUnit.NANOSECONDS.toMillis(e.answered());
		for (Window w : windows) {
			if (w.pod() == e.pod() && from <= w.toWall() && to >= w.fromWall()) {
				return true;
			}
		}
		return false;
	}

	String describe(Event e) {
		return String.format(Locale.ROOT, "%s on pod%d, session %s of caller-%d, sent at %s, answered %d ms later: %s%s%s",
				e.op().label(), e.pod() + 1, abbreviateId(e.session()), e.caller() + 1, clockMs(e.sent()), TimeUnit.NANOSECONDS.toMillis(e.answered() - e.sent()), statusLabel(e.status()),
				(e.version() >= 0) ? ", version " + e.version() + ", metadata " + e.metadata() : "",
				(e.note() != null) ? " (" + e.note() + ")" : "");
	}

	static String abbreviateId(String id) {
		return (id == null) ? "-" : (id.length() > 8) ? id.substring(0, 8) : id;
	}

	static String clockMs(long ns) {
		return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
	}

	void writeHistory(List<Event> history) throws IOException {
		StringBuilder out = new StringBuilder(
				"sent_s\tanswered_s\tsession\tcaller\top\tpod\tstatus\tversion\tseq\tmetadata\tnote\n");
		for (Event e : history) {
			out.append(String.format(Locale.ROOT, "%.3f\t%.3f\t%s\tcaller-%d\t%s\tpod%d\t%s\t%d\t%d\t%s\t%s%n",
					e.sent() / 1e9, e.answered() / 1e9, abbreviateId(e.session()), e.caller() + 1, e.op().label(),
					e.pod() + 1, statusLabel(e.status()), e.version(), e.seq(),
					(e.metadata() != null) ? e.metadata() : "", (e.note() != null) ? e.note() : ""));
		}
		Files.writeString(this.config.work().resolve("history.tsv"), out);
	}

	int report(List<Event> history, List<Snapshot> snapshots, Snapshot last, Map<String, Long> atLoadEnd,
			Map<String, Long> afterIdle) {
		Config c = this.config;
		List<Window> windows = restartWindows();
		System.out.printf(Locale.ROOT, "%n== requests by operation and answer (%d requests, %d sessions) ==%n",
				history.size(), history.stream().map(Event::session).filter((s) -> s != null).distinct().count());
		Map<Op, Map<String, Long>> table = new TreeMap<>();
		for (Event e : history) {
			table.computeIfAbsent(e.op(), (k) -> new TreeMap<>()).merge(statusLabel(e.status()), 1L, Long::sum);
		}
		table.forEach((op, statuses) -> {
			StringBuilder line = new StringBuilder();
			statuses.forEach((status, count) -> line.append(String.format(Locale.ROOT, "  %s: %d", status, count)));
			System.out.printf(Locale.ROOT, "%-18s%s%n", op.label(), line);
		});

		List<Event> serverErrors = new ArrayList<>();
		List<Event> refusedRetried = new ArrayList<>();
		List<Event> failedDuringRestart = new ArrayList<>();
		List<Event> failedDuringTerminate = new ArrayList<>();
		List<Event> failedOtherwise = new ArrayList<>();
		Map<String, List<Event>> terminates = new HashMap<>();
		for (Event e : history) {
			if (e.op().isTerminate() && e.session() != null) {
				terminates.computeIfAbsent(e.session(), (k) -> new ArrayList<>()).add(e);
			}
		}
		for (Event e : history) {
			if (e.status() >= 500) {
				serverErrors.add(e);
			}
			boolean failed = e.status() < 0 || (e.status() < 500 && !e.op().expects(e.status()));
			if (!failed) {
				continue;
			}
			if (e.status() == REFUSED) {
				refusedRetried.add(e);
			}
			if (duringRestart(e, windows)) {
				failedDuringRestart.add(e);
			}
			else if (e.op().isUse() && terminates.getOrDefault(e.session(), List.of())
				.stream()
				.anyMatch((t) -> t.sent() < e.answered() && e.sent() < t.answered())) {
				// A use that overlapped a terminate of its session may fail any way.
				failedDuringTerminate.add(e);
			}
			else {
				failedOtherwise.add(e);
			}
		}
		System.out.printf(Locale.ROOT, "%n== failures ==%n");
		System.out.printf(Locale.ROOT, "pod restarts                            : %d (%s)%n", windows.size(),
				windows.stream()
					.map((w) -> "pod" + (w.pod() + 1) + " at "
							+ clock(TimeUnit.MILLISECONDS.toNanos(w.fromWall() - this.startWall)) + ", ready after "
							+ ((w.toWall() == Long.MAX_VALUE) ? "never" : (w.toWall() - 5000 - w.fromWall()) / 1000 + " s"))
					.toList());
		System.out.printf(Locale.ROOT, "connection refused, sent to another pod : %d%n", refusedRetried.size());
		System.out.printf(Locale.ROOT, "failed on a pod while it restarted      : %d (refused, reset, unexpected answer; outcome unknown)%n",
				failedDuringRestart.size());
		System.out.printf(Locale.ROOT, "failed while a terminate of its session : %d (a use overlapping the terminate: either outcome is right)%n",
				failedDuringTerminate.size());
		System.out.printf(Locale.ROOT, "failed on a pod that was not restarting : %d%n", failedOtherwise.size());
		failedOtherwise.stream().limit(20).forEach((e) -> System.out.println("  " + describe(e)));
		System.out.printf(Locale.ROOT, "sessions shown with a backend not connected: %d answers (a backend call failed; "
				+ "the service retries it later)%n", this.degradedViews.sum());
		System.out.printf(Locale.ROOT, "5xx answers                             : %d%n", serverErrors.size());
		serverErrors.stream().limit(20).forEach((e) -> System.out.println("  " + describe(e)));
		if (this.driverErrors.sum() > 0) {
			System.out.printf(Locale.ROOT, "driver errors (bugs of the driver)      : %d%n", this.driverErrors.sum());
		}

		List<Violation> violations = new Checker(c.idleTtlNs()).check(history);
		System.out.printf(Locale.ROOT, "%n== violations found by the history checker: %d ==%n", violations.size());
		for (Violation v : violations.subList(0, Math.min(50, violations.size()))) {
			System.out.println(v.kind());
			System.out.println("  this   : " + describe(v.event()));
			if (v.evidence() != null) {
				System.out.println("  because: " + describe(v.evidence()));
			}
		}
		if (violations.size() > 50) {
			System.out.printf(Locale.ROOT, "... and %d more (see history.tsv)%n", violations.size() - 50);
		}

		System.out.printf(Locale.ROOT, "%n== memory: heap after a full GC (MB) and Redis used_memory, by quarter ==%n");
		for (int i = 0; i < snapshots.size(); i++) {
			Snapshot s = snapshots.get(i);
			StringBuilder heaps = new StringBuilder();
			for (double heap : s.heapMb()) {
				heaps.append(String.format(Locale.ROOT, "%8s", mb(heap)));
			}
			System.out.printf(Locale.ROOT, "%-22s %s   %s%n", ((i == 0) ? "start of quarter 1" : "end of quarter " + i)
					+ " " + clock(s.at()), heaps, kb(s.redisBytes()));
		}
		StringBuilder lastHeaps = new StringBuilder();
		for (double heap : last.heapMb()) {
			lastHeaps.append(String.format(Locale.ROOT, "%8s", mb(heap)));
		}
		System.out.printf(Locale.ROOT, "%-22s %s   %s%n", "after the idle wait", lastHeaps, kb(last.redisBytes()));
		System.out.println("(columns: pod1 pod2 pod3 ... then Redis; start of quarter N+1 = end of quarter N)");

		System.out.printf(Locale.ROOT, "%n== sessions at the end ==%n");
		atLoadEnd.forEach((name, value) -> System.out.printf(Locale.ROOT, "%-32s: %6d when the load stopped, %6d after one idle TTL without load%n",
				name, value, afterIdle.get(name)));
		long endedByExpiry = endedByExpiry(history);
		System.out.printf(Locale.ROOT, "%-32s: %6d (created, terminate never acknowledged; each had a session on "
				+ "each backend)%n", "sessions left to expire", endedByExpiry);

		// ---- targets
		System.out.printf(Locale.ROOT, "%n== targets ==%n");
		boolean pass = true;
		pass &= target(violations.isEmpty(), "0 violations (found %d)", violations.size());
		pass &= target(serverErrors.isEmpty(), "0 5xx answers (found %d)", serverErrors.size());
		int witness = c.witnessPod() - 1;
		double heapFirst = snapshots.get(1).heapMb()[witness];
		double heapLast = snapshots.get(4).heapMb()[witness];
		pass &= target(!Double.isNaN(heapFirst) && !Double.isNaN(heapLast) && heapLast <= heapFirst * 1.2,
				"heap of pod%d (never restarted) flat once warm: end of quarter 4 %s MB <= end of quarter 1 %s MB + 20%%",
				witness + 1, mb(heapLast), mb(heapFirst));
		long redisFirst = snapshots.get(1).redisBytes();
		long redisLast = snapshots.get(4).redisBytes();
		pass &= target(redisFirst > 0 && redisLast > 0 && redisLast <= redisFirst * 1.2,
				"Redis used_memory flat once warm: end of quarter 4 %s <= end of quarter 1 %s + 20%%", kb(redisLast),
				kb(redisFirst));
		long liveEnd = atLoadEnd.get("redis live records");
		long liveIdle = afterIdle.get("redis live records");
		for (String backend : c.backendStats().keySet()) {
			String key = "backend " + backend + " open";
			long openEnd = atLoadEnd.get(key);
			long openIdle = afterIdle.get(key);
			pass &= target(openEnd >= 0 && openEnd <= liveEnd && openIdle <= liveIdle,
					"no backend session leaked on %s: open <= live, %d <= %d when the load stopped, %d <= %d after one idle TTL",
					backend, openEnd, liveEnd, openIdle, liveIdle);
		}
		long parked = afterIdle.get("redis parked calls");
		long eventLogs = afterIdle.get("redis event logs");
		pass &= target(parked == 0 && eventLogs == 0,
				"nothing kept in Redis after the load and the windows: %d parked calls, %d event logs", parked,
				eventLogs);
		pass &= target(failedOtherwise.isEmpty(), "no request failed on a pod that was not restarting (found %d)",
				failedOtherwise.size());
		if (this.driverErrors.sum() > 0) {
			pass &= target(false, "the driver ran without errors of its own (found %d, see above)",
					this.driverErrors.sum());
		}
		System.out.printf(Locale.ROOT, "%nSOAK %s%n", pass ? "PASSED" : "FAILED");
		return pass ? 0 : 1;
	}

	/** Sessions created whose terminate was never acknowledged: they end by expiry. */
	static long endedByExpiry(List<Event> history) {
		Map<String, Boolean> terminated = new HashMap<>();
		for (Event e : history) {
			if (e.session() == null) {
				continue;
			}
			if (e.op().isCreate() && e.succeeded()) {
				terminated.putIfAbsent(e.session(), false);
			}
			if (e.op().isTerminate() && e.succeeded()) {
				terminated.put(e.session(), true);
			}
		}
		return terminated.values().stream().filter((t) -> !t).count();
	}

	static boolean target(boolean ok, String format, Object... args) {
		System.out.printf(Locale.ROOT, "%s  %s%n", ok ? "PASS" : "FAIL", String.format(Locale.ROOT, format, args));
		return ok;
	}

	// --------------------------------------------------------------------------- identities

	static void keygen(Path dir) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keys = generator.generateKeyPair();
		Files.writeString(dir.resolve("jwt-public.pem"), "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
		Files.write(dir.resolve("jwt-private.der"), keys.getPrivate().getEncoded());
	}

	static String jwt(PrivateKey key, String subject, long expiry) throws Exception {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = base64.encodeToString(("{\"iss\":\"urn:vmcp:soak\",\"aud\":\"urn:vmcp:soak:gateway\",\"sub\":\"" + subject + "\",\"iat\":"
				+ (System.currentTimeMillis() / 1000) + ",\"exp\":" + expiry + "}")
			.getBytes(StandardCharsets.UTF_8));
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initSign(key);
		signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
		return header + "." + claims + "." + base64.encodeToString(signature.sign());
	}

}
