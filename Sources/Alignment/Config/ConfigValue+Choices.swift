import LengthBuckets

// The named choices config files and options spell by their raw value.
extension DPOLossType: ConfigValue {}
extension KLEstimator: ConfigValue {}
extension LengthUnit: ConfigValue {}
