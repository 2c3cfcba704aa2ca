package dev.vmcp.sessions.mcp;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.Delivery;
import dev.vmcp.sessions.backend.MessageSink;
import dev.vmcp.sessions.session.SessionService;

/**
 * Talks to the members of a session over this pod's connections. A member that answers
 * 404 has lost its session: it is re-initialized (a conditional hint write, as on
 * restore) and the message sent once more; the client's session carries on. Thread-safe.
 */
final class Members {

	private static final Logger logger = LoggerFactory.getLogger(Members.class);

	private final SessionService sessions;

	private final BackendCatalog backends;

	private final BackendMessenger messenger;

	private final JsonMapper json;

	private final AtomicLong requestIds = new AtomicLong();

	Members(SessionService sessions, BackendCatalog backends, BackendMessenger messenger, JsonMapper json) {
		this.sessions = sessions;
		this.backends = backends;
		this.messenger = messenger;
		this.json = json;
	}

	/**
	 * Sends the gateway's own request and returns the member's response message (result
	 * or error).
	 * @throws BackendUnavailableException when the member cannot answer
	 */
	JsonNode call(SessionContext context, String member, String method, @Nullable JsonNode params) {
		JsonNode id = StringNode.valueOf("vmcp-" + this.requestIds.incrementAndGet());
		ObjectNode request = JsonRpc.notification(method);
		request.set("id", id);
		if (params != null) {
			request.set("params", params);
		}
		JsonNode[] response = new JsonNode[1];
		forward(context, member, this.json.writeValueAsString(request), id, (text, message) -> {
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
	void forward(SessionContext context, String member, String request, JsonNode id, MessageSink sink) {
		BackendDefinition backend = definition(member);
		BackendConnection connection = connection(context, member);
		if (this.messenger.request(backend, connection, request, id, sink) == Delivery.SESSION_LOST) {
			BackendConnection reconnected = reconnect(context, member, connection);
			if (this.messenger.request(backend, reconnected, request, id, sink) == Delivery.SESSION_LOST) {
				throw new BackendUnavailableException("Backend " + member + " lost its new session at once");
			}
		}
	}

	/**
	 * Posts a notification, or a response to a request the member sent.
	 * @throws BackendUnavailableException when the member cannot take it
	 */
	void post(SessionContext context, String member, String message) {
		BackendDefinition backend = definition(member);
		BackendConnection connection = connection(context, member);
		if (this.messenger.post(backend, connection, message) == Delivery.SESSION_LOST) {
			// A response belongs to the lost session's request: nobody is waiting for it
			// in the new one, so it is not sent again.
			reconnect(context, member, connection);
		}
	}

	/** The member's connection on this pod, if it is connected. */
	BackendConnection connection(SessionContext context, String member) {
		return context.session()
			.live()
			.connection(member)
			.filter((connection) -> !connection.isClosed())
			.orElseThrow(() -> new BackendUnavailableException("Backend " + member + " is not connected"));
	}

	BackendDefinition definition(String member) {
		return this.backends.find(member)
			.orElseThrow(() -> new BackendUnavailableException("Backend " + member + " is no longer configured"));
	}

	/**
	 * Initializes a member again whose session {@code lost} was lost, unless another
	 * request has done so already, and returns its connection.
	 */
	BackendConnection reconnect(SessionContext context, String member, BackendConnection lost) {
		logger.info("Backend {} lost its session of {}; initializing it again", member, context.shortId());
		context.replace(this.sessions.reconnect(context.caller(), context.id(), member, lost.backendSessionId()));
		return connection(context, member);
	}

}
