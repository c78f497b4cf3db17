package org.icmpecho.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a network-namespace test (class or method): tags it {@code netns} and registers {@link
 * NetLabExtension}, which injects a fresh {@link NetLab} into test methods, deletes every namespace
 * it made after each test (also when the test fails), checks for leaks, skips the test with a
 * printed reason when not root, and fails it instead of skipping when running as root.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("netns")
@ExtendWith(NetLabExtension.class)
public @interface NetNs {}
