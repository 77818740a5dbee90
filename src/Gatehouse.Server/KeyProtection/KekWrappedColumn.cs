using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage.Keys;

namespace Gatehouse.Server.KeyProtection;

/// <summary>A column of key material wrapped under the KEK, and how to re-wrap one of its values under the current KEK.</summary>
internal sealed record KekWrappedColumn(WrappedKeyColumn Column, Func<WrappedKeyRow, KeyEncryption, string> Rewrap)
{
    /// <summary>
    /// A column whose value is one <see cref="KeyEncryption.Wrap"/> output, bound to
    /// <paramref name="purpose"/> and the row's id (as signing keys are).
    /// </summary>
    public static KekWrappedColumn Value(string table, string idColumn, string kekIdColumn, string wrappedColumn, string purpose) =>
        new(new WrappedKeyColumn(table, idColumn, kekIdColumn, wrappedColumn), (row, kek) =>
        {
            var secret = kek.Unwrap(purpose, row.Id, row.KekId, row.Wrapped);
            try
            {
                return kek.Wrap(purpose, row.Id, secret);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            }
        });
}
