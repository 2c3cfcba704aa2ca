/**
 * MCP 2026-07-28 on {@code /mcp}: requests without sessions, each carrying its version
 * and the client's capabilities, served on whichever pod gets them with nothing read from
 * the store for stateless members; {@code server/discover}, the checks of the headers
 * against the body, and answers written as that revision wants them. What both revisions
 * share (catalogs, routing, members) is in the parent package.
 */
@NullMarked
package dev.vmcp.sessions.mcp.v2026;

import org.jspecify.annotations.NullMarked;
