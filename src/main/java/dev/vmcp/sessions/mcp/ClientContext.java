package dev.vmcp.sessions.mcp;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.session.Caller;

/**
 * What one client request works on, whatever revision the client speaks: who sent it,
 * which members it reaches and over which connections, and whose catalog it reads. A 2025
 * client's is its session; a 2026-07-28 client's is made from the request alone.
 * Thread-safe.
 */
public interface ClientContext {

	Caller caller();

	/**
	 * The MCP revision the client speaks: negotiated at initialize, or named per request.
	 */
	String protocolVersion();

	/** Whose merged lists the request reads. */
	CatalogScope catalogScope();

	/** The members this client reaches, in membership order. */
	List<String> members();

	/**
	 * The member's connection on this pod.
	 * @throws BackendUnavailableException when the member is not connected
	 */
	BackendConnection connection(String member);

	/**
	 * Connects the member anew after {@code lost} failed (its session lost, or its
	 * revision changed), unless another request has done so already.
	 * @throws BackendUnavailableException when the member cannot be connected
	 */
	BackendConnection reconnect(String member, BackendConnection lost);

	/**
	 * The {@code _meta} entries a 2026-07-28 member needs on each request on this
	 * client's behalf (its version, capabilities, identity), for requests that do not
	 * carry them already.
	 */
	ObjectNode statelessMeta();

	/** Says in logs which client this is, without giving away a whole session id. */
	String shortId();

}
