namespace Gatehouse.Server.KeyProtection;

/// <summary>Codes of the key-encryption key's refusals, at start and in <c>gatehouse keys rotate-kek</c> (docs/errors.md).</summary>
public static class KeyProtectionErrors
{
    /// <summary>Stored keys are wrapped under a KEK this process was not given.</summary>
    public const string UnknownKek = "GH4150";

    /// <summary>A stored key does not decrypt under the KEK its row names (changed, or moved from another row).</summary>
    public const string DoesNotDecrypt = "GH4151";

    /// <summary><c>keys rotate-kek</c> needs the new KEK and at least one previous one.</summary>
    public const string RotationKeysMissing = "GH4152";
}
