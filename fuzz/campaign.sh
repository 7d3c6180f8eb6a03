#!/usr/bin/env bash
# Runs one fuzz target in fuzzing mode with Jazzer's standalone driver, niced, for a while:
#   fuzz/campaign.sh CLASS#METHOD SECONDS [CLASSPATH_FILE]
# CLASS is the simple name of a class under fuzz/src/test/java (e.g. HostFuzzTest#packetsFromSeveralPeers).
# The corpus grows in fuzz/.cifuzz-corpus/<class>/<method> (where Jazzer's JUnit mode keeps it too);
# the saved corpus in src/test/resources is read as seeds. A failing input is written to
# fuzz/crash-*; move it into the target's resources directory to make it a regression test.
# CLASSPATH_FILE holds the test class path (mvn -f fuzz/pom.xml dependency:build-classpath
# -Dmdep.includeScope=test -Dmdep.outputFile=FILE, plus fuzz/target/test-classes); without it the
# class path is built from the local repository after compiling the fuzz module.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"; seconds="$2"; cpfile="${3:-}"
class="${target%%#*}"; method="${target##*#}"
source_file="$(cd "$here/src/test/java" && grep -rl --include="$class.java" "@FuzzTest" . | head -1)"
[ -n "$source_file" ] || { echo "no fuzz target class $class" >&2; exit 2; }
fqcn="$(echo "${source_file#./}" | sed 's/\.java$//; s#/#.#g')"
if [ -z "$cpfile" ]; then
  cpfile="$(mktemp)"
  (cd "$here" && mvn -B -q -f pom.xml test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null)
  printf ':%s' "$here/target/test-classes" >> "$cpfile"
fi
java="${JAVA:-java}"
corpus="$here/.cifuzz-corpus/$fqcn/$method"
seeds="$here/src/test/resources/$(dirname "${source_file#./}")/${class}Inputs/$method"
mkdir -p "$corpus"
dirs=("$corpus"); [ -d "$seeds" ] && dirs+=("$seeds")
cd "$here"
exec nice -n 19 "$java" -XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED -Xmx2g \
  -cp "$(cat "$cpfile")" com.code_intelligence.jazzer.Jazzer \
  --target_class="$fqcn" --target_method="$method" --instrumentation_includes='io.jtcp.**:picocli.**' \
  -max_total_time="$seconds" -print_final_stats=1 "${dirs[@]}"
