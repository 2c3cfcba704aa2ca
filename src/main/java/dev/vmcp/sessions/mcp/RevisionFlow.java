package dev.vmcp.sessions.mcp;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.session.Caller;

/**
 * One protocol revision's way of answering a POST on {@code /mcp}. The endpoint reads the
 * message once and hands it to the revision that claims it.
 */
public interface RevisionFlow {

	/** Whether this POST is this revision's to answer. */
	boolean claims(HttpServletRequest request, ObjectNode message);

	/**
	 * Answers the message.
	 * @throws McpException to refuse it at the HTTP level
	 */
	void post(Caller caller, ObjectNode message, ClientAccepts accepts, HttpServletRequest request,
			HttpServletResponse response) throws IOException;

}
