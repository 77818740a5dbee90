using Gatehouse.Server.OAuth;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage;
using Gatehouse.Storage.Keys;

namespace Gatehouse.Server.KeyProtection;

/// <summary>The outcome of <see cref="KekRotation.RotateAsync"/>: how many rows of each table were re-wrapped, or the refusal (nothing changed).</summary>
public sealed record KekRotationResult(string KekId, IReadOnlyDictionary<string, int> Rewrapped, string? ErrorCode = null, string? ErrorMessage = null)
{
    public bool Succeeded => ErrorCode is null;
}

/// <summary>
/// What the server does at start and <c>gatehouse keys rotate-kek</c> does offline, over every
/// column in <see cref="KekWrappedColumns"/>: find stored keys wrapped under a KEK this process
/// was not given, and re-wrap everything under the current KEK in one transaction.
/// </summary>
public static class KekRotation
{
    /// <summary>
    /// Re-wraps every stored key under <see cref="OAuthOptions.KeyEncryptionKey"/>, unwrapping with
    /// it or one of <see cref="OAuthOptions.PreviousKeyEncryptionKeys"/>. Refuses, changing
    /// nothing, when the keys are missing or a stored key is under a KEK not given.
    /// </summary>
    public static async Task<KekRotationResult> RotateAsync(IGatehouseStore store, OAuthOptions options, CancellationToken ct)
    {
        if (MissingKeys(options) is { } missing)
        {
            return new KekRotationResult("", new Dictionary<string, int>(), KeyProtectionErrors.RotationKeysMissing, missing);
        }

        var kek = new KeyEncryption(options.KeyEncryptionKey!, options.PreviousKeyEncryptionKeys);
        var keys = WrappedKeyStoreFactory.For(store);
        var unknown = await FindUnknownAsync(keys, kek, ct);
        if (unknown.Count > 0)
        {
            return new KekRotationResult(kek.KekId, new Dictionary<string, int>(), KeyProtectionErrors.UnknownKek,
                $"the database holds keys wrapped under {Describe(unknown)}, which is neither the new key ({kek.KekId}) nor a previous key given ({string.Join(", ", kek.PreviousKekIds)}): check {OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable}. Nothing was changed.");
        }

        try
        {
            return new KekRotationResult(kek.KekId, await RewrapAsync(keys, kek, ct));
        }
        catch (StoredKeyException e)
        {
            return new KekRotationResult(kek.KekId, new Dictionary<string, int>(), e.Code, e.Detail + " Nothing was changed.");
        }
    }

    /// <summary>What a rotation lacks (the new KEK, or an old one), in words; null when it has both.</summary>
    public static string? MissingKeys(OAuthOptions options) =>
        options.KeyEncryptionKey is null
            ? $"set {OAuthOptionsLoader.KeyEncryptionKeyVariable} (or _FILE) to the new key-encryption key (make one with `openssl rand -base64 32`)."
            : options.PreviousKeyEncryptionKeys.Count == 0
                ? $"set {OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable} (or _FILE) to the key-encryption key the stored keys are wrapped under now (with SQLite and no key configured so far: the file $GATEHOUSE_DATA/{KeyEncryption.GeneratedFileName})."
                : null;

    /// <summary>A KEK id found in the database that this process cannot unwrap, with how many rows of each table use it.</summary>
    internal sealed record UnknownKek(string KekId, IReadOnlyDictionary<string, long> RowsByTable);

    internal static async Task<IReadOnlyList<UnknownKek>> FindUnknownAsync(IWrappedKeyStore store, KeyEncryption kek, CancellationToken ct)
    {
        var unknown = new SortedDictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var column in KekWrappedColumns.All)
        {
            foreach (var (kekId, rows) in await store.CountByKekAsync(column.Column, ct))
            {
                if (!kek.Knows(kekId))
                {
                    if (!unknown.TryGetValue(kekId, out var tables))
                    {
                        unknown[kekId] = tables = new Dictionary<string, long>(StringComparer.Ordinal);
                    }

                    tables[column.Column.Table] = rows;
                }
            }
        }

        return [.. unknown.Select(u => new UnknownKek(u.Key, u.Value))];
    }

    /// <summary>"key-encryption key 3f2a… (oauth_signing_keys: 2, data_protection_keys: 1)", for messages.</summary>
    internal static string Describe(IReadOnlyList<UnknownKek> unknown) =>
        (unknown.Count == 1 ? "key-encryption key " : "key-encryption keys ") +
        string.Join(", ", unknown.Select(u => $"{u.KekId} ({string.Join(", ", u.RowsByTable.Select(t => $"{t.Key}: {t.Value}"))})"));

    /// <summary>The refusal to start on a database with keys under a KEK this server was not given.</summary>
    internal static StoredKeyException StartRefusal(IReadOnlyList<UnknownKek> unknown, KeyEncryption kek) => new(KeyProtectionErrors.UnknownKek,
        $"the database holds keys wrapped under {Describe(unknown)}, which this server was not given (it has {kek.Describe()}). " +
        $"Set {OAuthOptionsLoader.KeyEncryptionKeyVariable} to the key this database was created with or, during a rotation, list the old key in {OAuthOptionsLoader.PreviousKeyEncryptionKeysVariable} (docs/operations.md, \"Rotating the key-encryption key\").");

    /// <summary>Re-wraps every row not under the current KEK, in one transaction; how many rows of each table were re-wrapped.</summary>
    internal static Task<IReadOnlyDictionary<string, int>> RewrapAsync(IWrappedKeyStore store, KeyEncryption kek, CancellationToken ct)
    {
        var byColumn = KekWrappedColumns.All.ToDictionary(c => c.Column);
        return store.RewrapAsync([.. byColumn.Keys], kek.KekId, (column, row) => byColumn[column].Rewrap(row, kek), ct);
    }
}
