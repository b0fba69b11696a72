/// Checks a config and returns every problem and notice at once, never stopping at the first.
///
/// Pure apart from `context.fileExists`. Issues come in section order; sorting by position in
/// the file is up to the caller, who knows the positions.
///
/// - Parameters:
///   - config: the decoded config.
///   - context: TLS store ids, the file check and the state directory's node id.
/// - Returns: errors (the config must not be applied) and notices (aliases, legacy keys,
///   clamped limits). Empty when the config is clean.
public func validate(_ config: Config, context: ValidationContext) -> [ConfigIssue] {
    var validator = ConfigValidator(config: config, context: context)
    validator.run()
    if let memo = context.memo, var clean = validator.clean.take() {
        clean.trim(rules: config.rules)
        memo.keep(clean)
    }
    return validator.issues
}
