# Sourced by ./icmpecho, ./run-tests and the bench scripts: finds a JDK >= 22 and Maven.
# Sets ICMPECHO_JAVA_HOME, or prints one line saying what to install and returns 1.

icmpecho_jdk_feature() {   # $1 = JDK home; prints the feature version (e.g. 25) or nothing
  icmpecho_jdk_feature_var "$1"
  echo "$REPLY"
}

icmpecho_jdk_feature_var() {   # $1 = JDK home; sets REPLY to the feature version or nothing, in this shell
  # Bash builtins only for the usual case (the release file) and no subshell: the launcher runs this on every
  # command, and each process a script starts costs 1-2 ms here.
  local home=$1 v= line
  REPLY=
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then v=${BASH_REMATCH[1]}; break; fi
    done <"$home/release"
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$v" = 1 ] && v=8
  REPLY=$v
}

icmpecho_path_java_home() {   # the JDK home of the java on PATH (two levels above the real binary), or nothing
  local j
  j=$(command -v java 2>/dev/null) || return 0
  j=$(readlink -f "$j") || return 0
  j=${j%/*}
  echo "${j%/*}"
}

icmpecho_find_jdk() {
  local want=22 best= bestv=0 c v
  if [ -n "${ICMPECHO_JAVA_HOME:-}" ]; then
    icmpecho_jdk_feature_var "$ICMPECHO_JAVA_HOME"
    [ "$REPLY" -ge $want ] 2>/dev/null && return 0
  fi
  # JAVA_HOME wins when it is new enough; then the usual install places; then java on PATH.
  # ICMPECHO_JDK_SEARCH (space-separated JDK homes) replaces the usual places: for tests of this very message.
  local places
  if [ -n "${ICMPECHO_JDK_SEARCH:-}" ]; then
    places=($ICMPECHO_JDK_SEARCH)
  else
    places=("${JAVA_HOME:-}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/jdk*
            "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*
            "$(icmpecho_path_java_home)")
  fi
  for c in "${places[@]}"; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    icmpecho_jdk_feature_var "$c"
    v=$REPLY
    [ -n "$v" ] || continue
    if [ "$v" -ge $want ] && [ "$v" -gt "$bestv" ]; then best=$c; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "icmpecho: no JDK >= 22 found (looked at JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman, PATH); install one (e.g. Eclipse Temurin 25, or your distribution's openjdk-25-jdk where it has one) and set JAVA_HOME to it" >&2
    return 1
  fi
  ICMPECHO_JAVA_HOME=$best
  export ICMPECHO_JAVA_HOME
}

icmpecho_find_mvn() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "icmpecho: Maven (mvn) is needed to build; install it, e.g. 'apt-get install maven'" >&2
    return 1
  fi
}

# Maven's own libraries call sun.misc.Unsafe; JDK 23+ warns about it on every run. Allow it quietly there.
icmpecho_maven_opts() {
  if [ "$(icmpecho_jdk_feature "$ICMPECHO_JAVA_HOME")" -ge 23 ] 2>/dev/null; then
    case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow";; esac
    export MAVEN_OPTS
  fi
}

# The exporter's JVM options (./icmpecho exporter, the distribution's bin/icmpecho exporter, bench/exporter): a
# daemon's, with full tiered compilation and the JVM's default collector (G1), plus two memory defaults measured in
# icmpecho-exporter/README.md ("Memory"):
# - ErgoHeapSizeLimit=1g: the heap the JVM would pick itself (a quarter of the RAM, or of a container's limit), but
#   at most 1 GB. G1 lets the heap grow the more the further it is from its maximum, and /probe's garbage (~14 KB
#   per probe) at tens of thousands of probes a second grew a 6 GB maximum's heap past 1 GB of RSS; with 1 GB as the
#   maximum the same load stays near 450 MB, and 100,000 targets probed every second fit. Only the JVM's own choice
#   is capped: an -Xmx (or -XX:ErgoHeapSizeLimit=0) in ICMPECHO_JAVA_OPTS replaces it.
# - G1PeriodicGCInterval=30000: 30 s without a collection (a burst of probes is over) starts a concurrent cycle,
#   after which G1 gives the heap it no longer needs back to the system; -XX:G1PeriodicGCInterval=0 turns it off.
# Sets the array ICMPECHO_EXPORTER_JVM.
icmpecho_exporter_jvm() {
  ICMPECHO_EXPORTER_JVM=(--enable-native-access=ALL-UNNAMED -Xlog:disable -Xlog:all=warning:stderr
                         -XX:ErgoHeapSizeLimit=1g -XX:G1PeriodicGCInterval=30000)
}
