namespace Gatehouse.Storage;

/// <summary>
/// How fresh the change version a request is answered at must be (ADR 0033), in the manner of
/// SpiceDB's consistency: the hot paths take <see cref="Latest"/>; a caller that must not miss a
/// change it knows of asks for <see cref="Full"/> or for at least the version that change returned.
/// </summary>
public readonly record struct ChangeConsistency
{
    private ChangeConsistency(bool full, long atLeast)
    {
        IsFull = full;
        AtLeast = atLeast;
    }

    /// <summary>
    /// The version this replica knows: every change made through it, and every change made through
    /// another replica once its notification arrives — and never older than
    /// <see cref="IGatehouseStore.MaxKnownVersionAge"/>, whatever the notifications do.
    /// </summary>
    public static ChangeConsistency Latest { get; } = new(false, 0);

    /// <summary>The version in the database now: every change committed before the request.</summary>
    public static ChangeConsistency Full { get; } = new(true, 0);

    /// <summary>Read the database unless this replica already knows a version at least <see cref="AtLeast"/>.</summary>
    public bool IsFull { get; }

    /// <summary>The version a change returned, which the answer must include (0: none asked).</summary>
    public long AtLeast { get; }

    /// <summary>Fresh enough to include the change that returned <paramref name="version"/>.</summary>
    public static ChangeConsistency AtLeastVersion(long version) => new(false, Math.Max(0, version));

    public override string ToString() => IsFull ? "full" : AtLeast > 0 ? $"at-least={AtLeast}" : "latest";
}
