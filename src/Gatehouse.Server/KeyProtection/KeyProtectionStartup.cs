using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.KeyProtection;

/// <summary>
/// Runs before anything reads a stored key: refuses to start, naming the KEK id, when the
/// database holds keys wrapped under a KEK this server was not given; when previous KEKs were
/// given, re-wraps whatever is still under them under the current one.
/// </summary>
internal sealed partial class KeyProtectionStartup(IWrappedKeyStore store, KeyEncryption kek, ILogger<KeyProtectionStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unknown = await KekRotation.FindUnknownAsync(store, kek, cancellationToken);
        if (unknown.Count > 0)
        {
            throw KekRotation.StartRefusal(unknown, kek);
        }

        if (kek.PreviousKekIds.Count == 0)
        {
            return;
        }

        var rewrapped = await KekRotation.RewrapAsync(store, kek, cancellationToken);
        Rewrapped(log, rewrapped.Values.Sum(), kek.KekId, string.Join(", ", rewrapped.Select(t => $"{t.Key}: {t.Value}")), OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Re-wrapped {Count} stored keys under key-encryption key {KekId} ({Tables}); once every replica runs with this key, remove {Variable}")]
    private static partial void Rewrapped(ILogger logger, int count, string kekId, string tables, string variable);
}
