using System.Data.Common;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    private const string TokenColumns = "id, kind, subject, description, created_at, created_by, expires_at, revoked_at";

    /// <summary>A row (token or OAuth client) created by a person who is no longer in the organisation file.</summary>
    private const string CreatorRemovedSql = "created_by LIKE 'user:%' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.name = substr(created_by, 6))";

    /// <summary><see cref="TokenColumns"/> and whether the creator is gone (<see cref="TokenInfo.CreatorRemoved"/>).</summary>
    private const string ListedTokenColumns = $"{TokenColumns}, CASE WHEN {CreatorRemovedSql} THEN 1 ELSE 0 END";

    public async Task<StoreResult<IssuedToken>> CreateTokenAsync(TokenSubject subject, DateTimeOffset expiresAt, string? description, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);
        if (expiresAt.ToUnixTimeMilliseconds() <= scope.Now)
        {
            return StoreResult<IssuedToken>.Fail(StoreErrorKind.Invalid, StoreErrors.TokenExpiryInvalid, "the token's expiry must be in the future");
        }

        var isAdmin = await IsAdminAsync(scope.Connection, scope.Transaction, actor, ct);
        if (subject.Kind == TokenKind.Personal)
        {
            if (await Db.ScalarAsync(scope.Connection, scope.Transaction, "SELECT name FROM users WHERE name = @name", ct, ("@name", subject.Name)) is null)
            {
                return StoreResult<IssuedToken>.Fail(StoreErrorKind.NotFound, StoreErrors.TokenSubjectNotFound,
                    $"user {subject.Name} is not in the organisation file (add them to a team or to admins)");
            }

            if (!isAdmin && !(actor.Kind == ActorKind.User && actor.Name == subject.Name))
            {
                return StoreResult<IssuedToken>.Fail(StoreErrorKind.Forbidden, StoreErrors.TokenForbidden,
                    $"only {subject.Name} or an admin can create a personal token for {subject.Name}");
            }
        }
        else
        {
            // A deploy token's creator stands behind every request it files: that must be a person.
            if (actor.Kind == ActorKind.Bootstrap)
            {
                return StoreResult<IssuedToken>.Fail(StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted,
                    $"the bootstrap token creates no deploy tokens: an owner of {subject.Name} or an admin creates it with their personal token");
            }

            if (await Db.ScalarAsync(scope.Connection, scope.Transaction, "SELECT name FROM apps WHERE name = @name", ct, ("@name", subject.Name)) is null)
            {
                return StoreResult<IssuedToken>.Fail(StoreErrorKind.NotFound, StoreErrors.TokenSubjectNotFound,
                    $"app {subject.Name} has not been pushed; push its manifest before creating a deploy token");
            }

            var owners = await OwnerUsersAsync(scope.Connection, scope.Transaction, subject.Name, ct);
            if (!isAdmin && !(actor.Kind == ActorKind.User && owners.Contains(actor.Name, StringComparer.Ordinal)))
            {
                return StoreResult<IssuedToken>.Fail(StoreErrorKind.Forbidden, StoreErrors.TokenForbidden,
                    $"only an owner of {subject.Name} ({OwnerList(owners)}) or an admin can create a deploy token for it");
            }
        }

        var id = TokenSecrets.NewId();
        var secret = TokenSecrets.NewSecret(subject.Kind);
        await scope.ExecuteAsync("""
            INSERT INTO tokens (id, secret_hash, kind, subject, description, created_at, created_by, expires_at)
            VALUES (@id, @hash, @kind, @subject, @description, @at, @by, @expires)
            """, ct, ("@id", id), ("@hash", TokenSecrets.Hash(secret)), ("@kind", Names.Of(subject.Kind)), ("@subject", subject.Name),
            ("@description", description), ("@at", scope.Now), ("@by", actor.ToString()), ("@expires", expiresAt.ToUnixTimeMilliseconds()));

        // Never the secret nor its hash in the audit log: the event says who got a token until when.
        scope.Audit.Append(actor.ToString(), "token.created", $"token/{id}", subject.Kind == TokenKind.Deploy ? subject.Name : null, comment: description,
            data: StoreJson.Data(("kind", Names.Of(subject.Kind)), ("subject", subject.Name), ("expiresAt", expiresAt.ToUnixTimeMilliseconds())));
        await scope.CommitAsync(ct);
        var info = new TokenInfo(id, subject, description, DateTimeOffset.FromUnixTimeMilliseconds(scope.Now), actor.ToString(),
            DateTimeOffset.FromUnixTimeMilliseconds(expiresAt.ToUnixTimeMilliseconds()), null);
        return StoreResult<IssuedToken>.Ok(new IssuedToken(info, secret));
    }

    public async Task<TokenInfo?> AuthenticateTokenAsync(string secret, CancellationToken ct = default)
    {
        // A secret that fails its format or checksum cannot exist: refused without a query.
        if (!TokenSecrets.MayBeToken(secret))
        {
            return null;
        }

        // Same work for every well-formed input: one hash, one lookup by the hash's unique index. A
        // personal token counts only while its user is in the organisation file (ADR 0011); the push
        // that removes a user also revokes her tokens, and this holds for tokens of people removed before.
        var hash = TokenSecrets.Hash(secret);
        await using var lease = await Engine.OpenAsync(ct);
        await using var read = Engine.Read(lease.Connection, null, $"""
            SELECT {TokenColumns} FROM tokens t WHERE secret_hash = @hash
                AND (t.kind = 'deploy' OR EXISTS (SELECT 1 FROM users u WHERE u.name = t.subject))
            """, ("@hash", hash));
        var token = (await ReadTokensAsync(read.Command, ct)).FirstOrDefault();
        return token is null || token.RevokedAt is not null || token.ExpiresAt.ToUnixTimeMilliseconds() <= Now ? null : token;
    }

    public async Task<TokenInfo?> GetTokenAsync(string tokenId, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, $"SELECT {ListedTokenColumns} FROM tokens WHERE id = @id", ("@id", tokenId));
        return (await ReadTokensAsync(command, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<TokenInfo>> ListTokensAsync(Actor viewer, CancellationToken ct = default)
    {
        var visibility = await CredentialVisibilityAsync(viewer, ct);
        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, $"SELECT {ListedTokenColumns} FROM tokens ORDER BY created_at, id");
        return [.. (await ReadTokensAsync(command, ct)).Where(visibility.MaySee)];
    }

    public async Task<StoreResult<TokenInfo>> RevokeTokenAsync(string tokenId, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);
        await using var command = scope.Command($"SELECT {TokenColumns} FROM tokens WHERE id = @id", ("@id", tokenId));
        var token = (await ReadTokensAsync(command, ct)).FirstOrDefault();
        if (token is null)
        {
            return StoreResult<TokenInfo>.Fail(StoreErrorKind.NotFound, StoreErrors.TokenNotFound, $"token {tokenId} does not exist");
        }

        var ownToken = token.Subject.Kind == TokenKind.Personal && actor.Kind == ActorKind.User && actor.Name == token.Subject.Name;
        if (!ownToken && !await IsAdminAsync(scope.Connection, scope.Transaction, actor, ct))
        {
            return StoreResult<TokenInfo>.Fail(StoreErrorKind.Forbidden, StoreErrors.TokenForbidden,
                $"only an admin{(token.Subject.Kind == TokenKind.Personal ? " or " + token.Subject.Name : "")} can revoke token {tokenId}");
        }

        if (token.RevokedAt is not null)
        {
            return StoreResult<TokenInfo>.Fail(StoreErrorKind.Conflict, StoreErrors.TokenAlreadyRevoked, $"token {tokenId} is already revoked");
        }

        await scope.ExecuteAsync("UPDATE tokens SET revoked_at = @at, revoked_by = @by WHERE id = @id", ct,
            ("@at", scope.Now), ("@by", actor.ToString()), ("@id", tokenId));
        scope.Audit.Append(actor.ToString(), "token.revoked", $"token/{tokenId}", token.Subject.Kind == TokenKind.Deploy ? token.Subject.Name : null,
            data: StoreJson.Data(("kind", Names.Of(token.Subject.Kind)), ("subject", token.Subject.Name)));
        await scope.CommitAsync(ct);
        return StoreResult<TokenInfo>.Ok(token with { RevokedAt = DateTimeOffset.FromUnixTimeMilliseconds(scope.Now) });
    }

    private static async Task<List<TokenInfo>> ReadTokensAsync(DbCommand command, CancellationToken ct)
    {
        var tokens = new List<TokenInfo>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tokens.Add(new TokenInfo(
                reader.GetString(0),
                new TokenSubject(Names.ToTokenKind(reader.GetString(1)), reader.GetString(2)),
                reader.NullableString(3),
                reader.Time(4),
                reader.GetString(5),
                reader.Time(6),
                reader.NullableTime(7),
                reader.FieldCount > 8 && Convert.ToInt64(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture) == 1));
        }

        return tokens;
    }
}
