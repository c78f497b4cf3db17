import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The API baseline of one module, as okhttp keeps {@code okhttp/api/okhttp.api}: every public and protected signature
 * of the packages its {@code module-info} exports to everyone, one per line, sorted, in {@code api/<artifactId>.api}.
 *
 * <p>Run by every module's build (the parent POM, phase {@code process-classes}) on the module's compiled classes,
 * with its dependencies on the class path: {@code java -cp CLASSPATH scripts/ApiDump.java CLASSES API_FILE UPDATE}.
 * It fails the build when the dump differs from the committed file, and with {@code UPDATE} = {@code true}
 * ({@code -Dapi.update}) it rewrites the file instead, to be committed with the change that made it differ.
 *
 * <p>Reflection over the compiled classes, loaded without being initialised (no static initialiser runs, so the
 * native layers link nothing): the signatures are the compiled ones, generics and {@code throws} included, the
 * values of constants are not.
 */
public final class ApiDump {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: java -cp CLASSPATH ApiDump.java CLASSES_DIR API_FILE UPDATE(true|false)");
      System.exit(2);
    }
    Path classes = Path.of(args[0]);
    Path apiFile = Path.of(args[1]);
    boolean update = Boolean.parseBoolean(args[2]);
    if (!Files.isDirectory(classes)) {
      return; // a module without classes (the parent POM)
    }
    String dump = dump(classes);
    String committed = Files.exists(apiFile) ? Files.readString(apiFile) : null;
    if (dump.equals(committed)) {
      return;
    }
    if (update) {
      Files.createDirectories(apiFile.toAbsolutePath().getParent());
      Files.writeString(apiFile, dump);
      System.out.println("api: wrote " + apiFile);
      return;
    }
    System.err.println("api: the public API differs from " + apiFile + (committed == null ? " (missing)" : "") + ":");
    printDiff(committed == null ? List.of() : committed.lines().toList(), dump.lines().toList());
    System.err.println("api: if the change is intended, regenerate the dump and commit it with the change:");
    System.err.println("api:   mvn -B -q -DskipTests -Dapi.update package");
    System.exit(1);
  }

  static String dump(Path classes) throws IOException, ClassNotFoundException {
    Path info = classes.resolve("module-info.class");
    if (!Files.exists(info)) {
      throw new IllegalStateException(classes + " has no module-info.class: a published module must be a JPMS module");
    }
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(info)) {
      module = ModuleDescriptor.read(in);
    }
    StringBuilder out = new StringBuilder();
    out.append("# API of module ").append(module.name())
        .append(": every public and protected signature of the packages it exports.\n")
        .append("# Written by scripts/ApiDump.java, checked by every build; after an intended change of the API:\n")
        .append("#   mvn -B -q -DskipTests -Dapi.update package\n")
        .append("module ").append(module.name()).append('\n');
    module.requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
        .map(r -> "  requires transitive " + r.name()).sorted().forEach(l -> out.append(l).append('\n'));
    List<String> packages = module.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
        .sorted().toList();
    packages.forEach(p -> out.append("  exports ").append(p).append('\n'));
    for (String pkg : packages) {
      for (Class<?> c : classesOf(classes, pkg)) {
        out.append('\n').append(header(c)).append('\n');
        for (String m : members(c)) out.append("  ").append(m).append('\n');
      }
    }
    return out.toString();
  }

  /** The API classes of one package: public ones, and nested public or protected ones inside those, by name. */
  static List<Class<?>> classesOf(Path classes, String pkg) throws IOException, ClassNotFoundException {
    Path dir = classes.resolve(pkg.replace('.', '/'));
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
          .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()))
          .filter(n -> !n.endsWith(".package-info")).sorted().toList();
    }
    List<Class<?>> api = new ArrayList<>();
    for (String n : names) {
      Class<?> c = Class.forName(n, false, ApiDump.class.getClassLoader());
      if (visible(c)) api.add(c);
    }
    return api;
  }

  /** Public top-level classes; public or protected nested classes of visible ones. */
  static boolean visible(Class<?> c) {
    if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) return false;
    int m = c.getModifiers();
    Class<?> outer = c.getDeclaringClass();
    if (outer == null) return Modifier.isPublic(m);
    return (Modifier.isPublic(m) || Modifier.isProtected(m)) && visible(outer);
  }

  static String header(Class<?> c) {
    StringBuilder h = new StringBuilder();
    if (c.isAnnotationPresent(Deprecated.class)) h.append("@Deprecated ");
    int mods = c.getModifiers() & ~(Modifier.SYNCHRONIZED | Modifier.VOLATILE);
    String kind;
    if (c.isAnnotation()) {
      kind = "@interface";
      mods &= ~(Modifier.INTERFACE | Modifier.ABSTRACT);
    } else if (c.isInterface()) {
      kind = "interface";
      mods &= ~(Modifier.INTERFACE | Modifier.ABSTRACT);
    } else if (c.isEnum()) {
      kind = "enum";
      mods &= ~(Modifier.FINAL | Modifier.ABSTRACT);
    } else if (c.isRecord()) {
      kind = "record";
      mods &= ~(Modifier.FINAL);
    } else {
      kind = "class";
    }
    if (c.isMemberClass() && (c.isInterface() || c.isEnum() || c.isRecord())) mods &= ~Modifier.STATIC;
    String m = Modifier.toString(mods);
    if (!m.isEmpty()) h.append(m).append(' ');
    if (c.isSealed()) h.append("sealed ");
    h.append(kind).append(' ').append(c.getName()).append(typeParameters(c.getTypeParameters()));
    if (c.isRecord()) {
      h.append(Arrays.stream(c.getRecordComponents()).map(r -> r.getGenericType().getTypeName() + " " + r.getName())
          .collect(Collectors.joining(", ", "(", ")")));
    }
    Type sup = c.getGenericSuperclass();
    if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
      h.append(" extends ").append(sup.getTypeName());
    }
    Type[] ifaces = c.getGenericInterfaces();
    if (c.isAnnotation()) ifaces = new Type[0];
    if (ifaces.length > 0) {
      h.append(c.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(ifaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (c.isSealed()) {
      h.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getName).sorted()
          .collect(Collectors.joining(", ")));
    }
    return h.toString();
  }

  static String typeParameters(TypeVariable<?>[] vars) {
    if (vars.length == 0) return "";
    return Arrays.stream(vars).map(v -> {
      Type[] bounds = v.getBounds();
      boolean plain = bounds.length == 1 && bounds[0] == Object.class;
      return plain ? v.getName() : v.getName() + " extends "
          + Arrays.stream(bounds).map(Type::getTypeName).collect(Collectors.joining(" & "));
    }).collect(Collectors.joining(", ", "<", ">"));
  }

  /** Declared public and protected constructors, fields and methods, each as its generic signature. */
  static Set<String> members(Class<?> c) {
    Set<String> out = new TreeSet<>();
    boolean canSubclass = !Modifier.isFinal(c.getModifiers()) && !c.isSealed();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (api(k, canSubclass)) out.add(deprecated(k) + k.toGenericString());
    }
    for (Field f : c.getDeclaredFields()) {
      if (api(f, canSubclass)) out.add(deprecated(f) + strip(f.toGenericString(), c, f.getName()));
    }
    for (Method m : c.getDeclaredMethods()) {
      if (m.isBridge()) continue;
      if (api(m, canSubclass)) out.add(deprecated(m) + strip(m.toGenericString(), c, m.getName()));
    }
    return out;
  }

  static boolean api(Member m, boolean canSubclass) {
    if (m.isSynthetic()) return false;
    int mods = m.getModifiers();
    return Modifier.isPublic(mods) || (canSubclass && Modifier.isProtected(mods));
  }

  static String deprecated(AnnotatedElement e) {
    return e.isAnnotationPresent(Deprecated.class) ? "@Deprecated " : "";
  }

  /** {@code ... org.x.Type.name(...)} becomes {@code ... name(...)}: the class is named in the header already. */
  static String strip(String signature, Class<?> owner, String name) {
    String qualified = owner.getTypeName() + "." + name;
    int i = signature.indexOf(qualified);
    return i < 0 ? signature : signature.substring(0, i) + signature.substring(i + owner.getTypeName().length() + 1);
  }

  /** The lines only in the committed dump ("-") and only in the classes ("+"); enough to see what changed. */
  static void printDiff(List<String> committed, List<String> now) {
    Set<String> before = new TreeSet<>(committed);
    Set<String> after = new TreeSet<>(now);
    for (String l : committed) if (!after.contains(l)) System.err.println("  - " + l);
    for (String l : now) if (!before.contains(l)) System.err.println("  + " + l);
  }
}
