package org.icmpecho.internal;

/**
 * Initialises, when a socket first opens, the classes that the first echo and the first answer would otherwise
 * initialise. The reason is the JIT, not the initialisation itself: with the launcher's AOT cache (JDK 25,
 * {@code -XX:+AOTCompileEagerly}) a method that was compiled in training is queued for compilation as soon as every
 * class it was compiled against is initialised. The receive path depends on the result records and the packet
 * codec, which the first answer used to initialise, so a cold sweep ran its first tens of milliseconds interpreted
 * behind a compile queue it only then joined. Without an AOT cache this costs a few class initialisations, once.
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
