package org.icmpecho.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command-line parsing the way C tools parse it, for the drop-in personalities ({@code fping},
 * {@code ping}): short options that cluster ({@code -qc3}), an argument glued or in the next word,
 * long options with {@code =} or the next word, exact long names only, operands anywhere (moved
 * after the options, in their order), {@code --} ends the options, a lone {@code -} is an operand.
 * The error texts are the ones both fping's optparse and glibc's getopt print for short options
 * ({@code invalid option -- 'Z'}, {@code option requires an argument -- 'c'}).
 *
 * <p>picocli was not bent to this: its messages, its treatment of {@code -C3} against {@code -c},
 * of negative numbers as values and of clustering differ in many small ways from getopt, and a
 * personality must match getopt in all of them; 100 lines of parser are clearer than the same
 * number of picocli overrides.
 */
final class Getopt {
  /**
   * One option met on the command line, in order: its short letter (or long name without one) and
   * its argument.
   */
  record Opt(char letter, String arg) {}

  /** The result: options in order, then the operands. */
  record Parsed(List<Opt> options, List<String> operands) {}

  /** A parse failure with the tool's message (without the program-name prefix). */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private final String shorts;
  private final Map<String, Character> longs;
  private final Map<String, Boolean> longTakesArg;

  /**
   * @param shorts getopt's optstring: each letter, followed by {@code :} when it takes an argument
   * @param longs long name to short letter
   */
  Getopt(String shorts, Map<String, Character> longs) {
    this.shorts = shorts;
    this.longs = longs;
    this.longTakesArg = new java.util.HashMap<>();
    longs.forEach((name, letter) -> longTakesArg.put(name, takesArg(letter)));
  }

  private boolean takesArg(char c) {
    int i = shorts.indexOf(c);
    return i >= 0 && i + 1 < shorts.length() && shorts.charAt(i + 1) == ':';
  }

  private boolean known(char c) {
    return c != ':' && shorts.indexOf(c) >= 0;
  }

  /** Parses {@code args}; stops at the first error, as the tools do (they exit there). */
  Parsed parse(List<String> args) throws Failure {
    List<Opt> opts = new ArrayList<>();
    List<String> operands = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        operands.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (a.startsWith("--")) {
        String body = a.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        Character letter = longs.get(name);
        if (letter == null) throw new Failure("invalid option -- '" + body + "'");
        if (!longTakesArg.get(name)) {
          if (eq >= 0) throw new Failure("option takes no arguments -- '" + name + "'");
          opts.add(new Opt(letter, null));
        } else if (eq >= 0) {
          opts.add(new Opt(letter, body.substring(eq + 1)));
        } else if (i + 1 < args.size()) {
          opts.add(new Opt(letter, args.get(++i)));
        } else {
          throw new Failure("option requires an argument -- '" + name + "'");
        }
        continue;
      }
      if (a.length() < 2 || a.charAt(0) != '-') {
        operands.add(a);
        continue;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        if (!known(c)) throw new Failure("invalid option -- '" + c + "'");
        if (!takesArg(c)) {
          opts.add(new Opt(c, null));
          continue;
        }
        if (j + 1 < a.length()) {
          opts.add(new Opt(c, a.substring(j + 1)));
        } else if (i + 1 < args.size()) {
          opts.add(new Opt(c, args.get(++i)));
        } else {
          throw new Failure("option requires an argument -- '" + c + "'");
        }
        break;
      }
    }
    return new Parsed(opts, operands);
  }

  // C's number readers, as the tools use them on option values: a valid prefix counts, the rest is
  // ignored.

  /** {@code atoi}: leading blanks, a sign, digits; 0 when there are none. */
  static long atoi(String s) {
    int i = skipBlanks(s, 0), start = i;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
    int digits = i;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && i - digits < 18) i++;
    if (i == digits) return 0;
    return Long.parseLong(s.substring(start, i));
  }

  /**
   * {@code sscanf("%f")} / {@code atof}: the longest decimal-float prefix, or null when there is
   * none.
   */
  static Double scanFloat(String s) {
    int i = skipBlanks(s, 0), start = i;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
    int mant = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    }
    if (i == mant || (i == mant + 1 && s.charAt(mant) == '.')) return null;
    int end = i;
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int k = i + 1;
      if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) k++;
      int e = k;
      while (k < s.length() && Character.isDigit(s.charAt(k))) k++;
      if (k > e) end = k;
    }
    return Double.parseDouble(s.substring(start, end));
  }

  /**
   * {@code sscanf("%u")}: like atoi, but null when no digits, and a negative value wraps to
   * unsigned.
   */
  static Long scanUnsigned(String s) {
    int i = skipBlanks(s, 0);
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
    if (i >= s.length() || !Character.isDigit(s.charAt(i))) return null;
    return atoi(s) & 0xFFFF_FFFFL;
  }

  private static int skipBlanks(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }
}
