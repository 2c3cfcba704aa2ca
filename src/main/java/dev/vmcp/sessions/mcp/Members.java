package dev.vmcp.sessions.mcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.BackendStream;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.Delivery;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.backend.MessageSink;
import dev.vmcp.sessions.backend.StreamListener;
import dev.vmcp.sessions.tracing.OpenSpan;

/**
 * Talks to the members a client reaches, each in its own revision, over this pod's
 * connections. A member that answers 404 has lost its session, and one that answers as a
 * server of another revision was redeployed: either is connected anew (a conditional hint
 * write, as on restore) and the message sent once more; the client carries on.
 * Thread-safe.
 */
public final class Members {

	private static final Logger logger = LoggerFactory.getLogger(Members.class);

	private final BackendCatalog backends;

	private final BackendMessenger messenger;

	private final MemberRevisions revisions;

	private final MemberRequests requests;

	private final McpSpans spans;

	private final AtomicLong requestIds = new AtomicLong();

	Members(BackendCatalog backends, BackendMessenger messenger, MemberRevisions revisions, JsonMapper json,
			McpSpans spans) {
		this.backends = backends;
		this.messenger = messenger;
		this.revisions = revisions;
		this.requests = new MemberRequests(json);
		this.spans = spans;
	}

	/**
	 * Sends the gateway's own request and returns the member's response message (result
	 * or error).
	 * @throws BackendUnavailableException when the member cannot answer
	 */
	public JsonNode call(ClientContext context, String member, String method, @Nullable JsonNode params) {
		JsonNode id = StringNode.valueOf("vmcp-" + this.requestIds.incrementAndGet());
		ObjectNode request = JsonRpc.notification(method);
		request.set("id", id);
		if (params != null) {
			request.set("params", params);
		}
		JsonNode[] response = new JsonNode[1];
		forward(context, member, request, id, (text, message) -> {
			if (BackendMessenger.isResponseTo(message, id)) {
				response[0] = message;
			}
		});
		if (response[0] == null) {
			throw new BackendUnavailableException("Backend " + member + " sent no response to " + method);
		}
		return response[0];
	}

	/**
	 * Forwards a client's request and relays the member's answer to {@code sink}.
	 * @throws BackendUnavailableException when the member cannot answer
	 */
	public void forward(ClientContext context, String member, ObjectNode request, JsonNode id, MessageSink sink) {
		forward(context, member, request, id, sink, Map.of());
	}

	/**
	 * Forwards a client's request with the {@code Mcp-Param-} headers its arguments carry
	 * for a stateless member, and relays the member's answer to {@code sink}.
	 * @throws BackendUnavailableException when the member cannot answer
	 */
	public void forward(ClientContext context, String member, ObjectNode request, JsonNode id, MessageSink sink,
			Map<String, String> parameterHeaders) {
		BackendDefinition backend = definition(member);
		BackendConnection connection = context.connection(member);
		Delivery delivery = send(context, backend, connection, request, id, sink, parameterHeaders);
		if (delivery != Delivery.DELIVERED) {
			BackendConnection again = reconnect(context, member, connection, delivery);
			if (send(context, backend, again, request, id, sink, parameterHeaders) != Delivery.DELIVERED) {
				throw new BackendUnavailableException("Backend " + member + " failed again once connected anew");
			}
		}
	}

	/**
	 * Posts a notification, or a response to a request the member sent.
	 * @throws BackendUnavailableException when the member cannot take it
	 */
	public void post(ClientContext context, String member, String message) {
		BackendDefinition backend = definition(member);
		BackendConnection connection = context.connection(member);
		Delivery delivery = this.messenger.post(backend, connection, message);
		if (delivery != Delivery.DELIVERED) {
			// A response belongs to the lost session's request: nobody is waiting for it
			// in the new one, so it is not sent again.
			reconnect(context, member, connection, delivery);
		}
	}

	/**
	 * Opens a stateless member's {@code subscriptions/listen} stream for {@code request}
	 * in the background, relayed to {@code sink}.
	 */
	public BackendStream listen(ClientContext context, String member, ObjectNode request, MessageSink sink,
			StreamListener listener) {
		BackendConnection connection = context.connection(member);
		MemberRequests.Hop hop = this.requests.forMember(context, connection, request);
		return this.messenger.listen(definition(member), connection, hop.body(), hop.headers(), sink, listener);
	}

	/** The member's connection on this pod, if it is connected. */
	public BackendConnection connection(ClientContext context, String member) {
		return context.connection(member);
	}

	public BackendDefinition definition(String member) {
		return this.backends.find(member)
			.orElseThrow(() -> new BackendUnavailableException("Backend " + member + " is no longer configured"));
	}

	/**
	 * Initializes a member again whose session {@code lost} was lost, unless another
	 * request has done so already, and returns its connection.
	 */
	public BackendConnection reconnect(ClientContext context, String member, BackendConnection lost) {
		return reconnect(context, member, lost, Delivery.SESSION_LOST);
	}

	private BackendConnection reconnect(ClientContext context, String member, BackendConnection lost, Delivery why) {
		if (why == Delivery.WRONG_REVISION) {
			logger.info("Backend {} answered {} as a server of another revision; connecting it anew", member,
					context.shortId());
			this.revisions.forget(member);
		}
		else {
			logger.info("Backend {} lost its session of {}; initializing it again", member, context.shortId());
		}
		return context.reconnect(member, lost);
	}

	/**
	 * One request to a member, in a client span of its own: the member sees that span as
	 * its parent ({@code traceparent} header, and {@code _meta} where the member reads
	 * it), and the span records the member's JSON-RPC error answer, when it gives one.
	 */
	private Delivery send(ClientContext context, BackendDefinition backend, BackendConnection connection,
			ObjectNode request, JsonNode id, MessageSink sink, Map<String, String> parameterHeaders) {
		OpenSpan span = this.spans.memberCall(backend, connection, request);
		try {
			ObjectNode traced = this.spans.withTraceContext(request, connection.isStateless());
			MemberRequests.Hop hop = this.requests.forMember(context, connection, traced);
			Map<String, String> headers = hop.headers();
			if (connection.isStateless() && !parameterHeaders.isEmpty()) {
				headers = new LinkedHashMap<>(headers);
				headers.putAll(parameterHeaders);
			}
			return this.messenger.request(backend, connection, hop.body(), headers, id,
					MemberAnswerSpan.watching(span, id, sink));
		}
		catch (RuntimeException ex) {
			span.fail(ex);
			throw ex;
		}
		finally {
			span.close();
		}
	}

}
