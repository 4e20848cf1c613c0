import Foundation

/// Fills `{name}` placeholders of a template; the task's templates are plain strings so they read like the text
/// they make.
func fill(_ template: String, _ values: [String: String]) -> String {
    var text = template
    for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
    return text
}
