using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.KeyProtection;

/// <summary>
/// A stored key this process cannot unwrap: under a KEK it was not given (GH4150), or changed
/// since it was wrapped (GH4151). A configuration problem, so a start ends with the message;
/// <see cref="Code"/> and <see cref="Detail"/> let <c>gatehouse keys rotate-kek</c> print it its own way.
/// </summary>
public sealed class StoredKeyException(string code, string detail) : ConfigurationProblemException($"{code}: {detail}")
{
    public string Code { get; } = code;

    public string Detail { get; } = detail;
}
