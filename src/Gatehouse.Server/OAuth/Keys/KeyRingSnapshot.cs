using System.Text.Json;

namespace Gatehouse.Server.OAuth.Keys;

/// <summary>One consistent view of the keys: who signs now, what is published, when to look again.</summary>
internal sealed class KeyRingSnapshot
{
    private KeyRingSnapshot(SigningKey? signer, IReadOnlyList<SigningKey> published, DateTimeOffset refreshAt)
    {
        Signer = signer;
        Published = published;
        RefreshAt = refreshAt;
        JwksJson = JsonSerializer.SerializeToUtf8Bytes(new { keys = published.Select(k => k.PublicJwk) });
    }

    public SigningKey? Signer { get; }

    public IReadOnlyList<SigningKey> Published { get; }

    public DateTimeOffset RefreshAt { get; }

    /// <summary>The JWKS document, serialized once per snapshot.</summary>
    public byte[] JwksJson { get; }

    public SigningKey? FindPublished(string kid) => Published.FirstOrDefault(k => k.Kid == kid);

    public static KeyRingSnapshot Create(IReadOnlyList<SigningKey> keysByActivation, DateTimeOffset now, TimeSpan removalDelay, DateTimeOffset nextCreation)
    {
        var refreshAt = now + KeyRing.RefreshInterval;
        if (nextCreation > now && nextCreation < refreshAt)
        {
            refreshAt = nextCreation;
        }

        var active = keysByActivation.Where(k => k.ActivatesAt <= now).ToList();
        var published = new List<SigningKey>();
        for (var i = 0; i < keysByActivation.Count; i++)
        {
            var key = keysByActivation[i];
            if (key.ActivatesAt > now)
            {
                published.Add(key); // announced, not yet signing
                refreshAt = key.ActivatesAt < refreshAt ? key.ActivatesAt : refreshAt;
                continue;
            }

            var successor = active.FirstOrDefault(k => k.ActivatesAt > key.ActivatesAt || (k.ActivatesAt == key.ActivatesAt && active.IndexOf(k) > active.IndexOf(key)));
            var removeAt = successor is null ? DateTimeOffset.MaxValue : successor.ActivatesAt + removalDelay;
            if (now < removeAt)
            {
                published.Add(key);
                refreshAt = removeAt < refreshAt ? removeAt : refreshAt;
            }
        }

        return new KeyRingSnapshot(active.LastOrDefault(), published, refreshAt);
    }
}
