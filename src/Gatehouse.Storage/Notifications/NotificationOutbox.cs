namespace Gatehouse.Storage.Notifications;

/// <summary>
/// Which audit events are also notifications, and the outbox row each becomes. The row is
/// written by the audit writer at flush, in the transaction of the change (ADR 0019).
/// </summary>
internal static class NotificationOutbox
{
    public static readonly string[] Columns = ["id", "seq", "type", "subject", "actor", "app", "provider_app", "comment", "data", "occurred_at"];

    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal)
    {
        "request.filed", "request.voted", "request.approved", "request.denied", "grant.revoked", "scope.deprecated",
    };

    public static bool Reports(string action) => Actions.Contains(action);

    public static object?[] Row(long seq, long now, string actor, string action, string subject, string? app, string? providerApp, string? comment, string? data) =>
        [NewId("evt"), seq, action, subject, actor, app, providerApp, comment, data, now];

    private const int IdsPerFill = 256;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>
    /// A time-ordered, unguessable id (<c>evt_…</c>, <c>msg_…</c>): a UUID version 7 (RFC 9562)
    /// in 32 hex digits, as <see cref="Guid.CreateVersion7()"/> writes it. Its random bits come from
    /// the system's secure generator 256 ids at a time: drawn one by one, they cost a system call
    /// each, 5% of the server's time in a push of a million grants (ADR 0042).
    /// </summary>
    public static string NewId(string prefix)
    {
        var random = t_random ??= new byte[16 * IdsPerFill];
        if (t_used == 0)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        }

        Span<byte> uuid = stackalloc byte[16];
        var slot = random.AsSpan(16 * t_used, 16);
        slot.CopyTo(uuid);
        slot.Clear(); // drawn bits do not linger
        t_used = (t_used + 1) % IdsPerFill;
        Span<byte> time = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(time, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        time[2..].CopyTo(uuid); // 48 bits of unix milliseconds first
        uuid[6] = (byte)(0x70 | (uuid[6] & 0x0F)); // version 7
        uuid[8] = (byte)(0x80 | (uuid[8] & 0x3F)); // variant 10
        return string.Concat(prefix, "_", Convert.ToHexStringLower(uuid));
    }
}
