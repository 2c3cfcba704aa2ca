/**
 * REST controllers and the translation of failures into RFC 9457 problem details.
 */
@NullMarked
package dev.vmcp.sessions.web;

import org.jspecify.annotations.NullMarked;
