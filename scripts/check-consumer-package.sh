#!/usr/bin/env bash
# Builds and runs a package that depends on this one as a user's would: by URL and version. SwiftPM refuses
# `unsafeFlags` only in a dependency resolved that way (the root, a `.package(path:)` and a branch or revision may use
# them), so the working tree (committed or not) becomes a temporary git repository tagged 1.0.0 and the
# consumer names it by file:// URL. Debug build: the point is that it resolves, compiles and links, not its speed.
# Usage: scripts/check-consumer-package.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The files git would commit (tracked or new, not ignored, not deleted), as version 1.0.0 of a repository of its own.
mkdir "$work/swift-rlhf"
(
    cd "$repo"
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
        | tar --null -T - -cf - | tar -xf - -C "$work/swift-rlhf"
)
git -C "$work/swift-rlhf" init -q
git -C "$work/swift-rlhf" add -A
git -C "$work/swift-rlhf" -c user.name=consumer-check -c user.email=consumer-check@localhost commit -q -m "1.0.0"
git -C "$work/swift-rlhf" tag 1.0.0

mkdir -p "$work/consumer/Sources/Consumer"
cat > "$work/consumer/Package.swift" <<EOF
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$work/swift-rlhf", from: "1.0.0")],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [
                .product(name: "TensorEngine", package: "swift-rlhf"),
                .product(name: "LanguageModels", package: "swift-rlhf"),
                .product(name: "Alignment", package: "swift-rlhf"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
EOF
# Only API that is meant to stay: tensors, a model configuration, a random model and its forward pass. Alignment is
# imported to prove that it and everything it pulls in build as a dependency.
cat > "$work/consumer/Sources/Consumer/main.swift" <<'EOF'
import Alignment
import LanguageModels
import TensorEngine

let config = try ModelConfig(family: .llama, vocabSize: 32, hiddenSize: 16, layerCount: 1, headCount: 2)
let model = try TransformerLM(config: config, seed: 1)
let logits = model(IntTensor(shape: [1, 4], scalars: [1, 2, 3, 4]))
let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
print("logits \(logits.shape) a·a \(matmul(a, a).scalars)")
EOF

# The default a user gets: no override of the release-flag choice, and a cache of its own (nothing left behind).
cd "$work/consumer"
log="$work/build.log"
if ! env -u RLHF_RELEASE_FLAGS swift build --cache-path "$work/cache" > "$log" 2>&1; then
    grep -a -E "error|warning: .*unsafe" "$log" | head -n 20 || true
    tail -n 20 "$log"
    exit 1
fi
output="$(.build/debug/Consumer)"
echo "consumer package: $output"
[ "$output" = "logits [1, 4, 32] a·a [7.0, 10.0, 15.0, 22.0]" ]
