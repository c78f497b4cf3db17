/**
 * Benchmarks of icmpecho: JMH micro-benchmarks and the side-by-side bench against fping and ping.
 */
package org.icmpecho.bench;
