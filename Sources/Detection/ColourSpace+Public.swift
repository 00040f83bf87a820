/// CIELAB for other modules (the water-mask derivation uses the same colour space as the detector).
public enum ColourSpaceBridge {
    public static func lab(_ r: Float, _ g: Float, _ b: Float) -> SIMD3<Float> { ColourSpace.lab(r, g, b) }
}
