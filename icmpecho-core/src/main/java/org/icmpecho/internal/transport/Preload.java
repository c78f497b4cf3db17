package org.icmpecho.internal.transport;

/**
 * Initialises, when a socket first opens, the classes that the first echo and the first answer
 * would otherwise initialise, so that the launcher's AOT-compiled echo path is usable from the
 * first echo (ENGINE-NOTES §11). Beside the seam because the engine and a transport's
 * implementation both use it, and a transport may not depend on the engine.
 */
public final class Preload {
  private Preload() {}

  /** Initialises each class (runs its static initialiser if it has not run yet). */
  public static void initialise(Class<?>... classes) {
    for (Class<?> c : classes) {
      try {
        Class.forName(c.getName(), true, c.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError("a loaded class is not found: " + c.getName(), e);
      }
    }
  }
}
