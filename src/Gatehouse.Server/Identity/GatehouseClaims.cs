using System.Security.Claims;
using Gatehouse.Core.Access;

namespace Gatehouse.Server.Identity;

/// <summary>How an authenticated caller is carried in a <see cref="ClaimsPrincipal"/>.</summary>
internal static class GatehouseClaims
{
    public const string ActorKind = "gatehouse:actor-kind";
    public const string TokenId = "gatehouse:token-id";
    public const string CiRule = "gatehouse:ci-rule";
    public const string TriggeredBy = "gatehouse:triggered-by";

    public static ClaimsPrincipal Principal(Actor actor, string scheme, string? tokenId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, actor.Name),
            new(ActorKind, actor.Kind.ToString()),
        };
        if (tokenId is not null)
        {
            claims.Add(new Claim(TokenId, tokenId));
        }

        if (actor.CiRule is not null)
        {
            claims.Add(new Claim(CiRule, actor.CiRule));
        }

        if (actor.TriggeredBy is not null)
        {
            claims.Add(new Claim(TriggeredBy, actor.TriggeredBy));
        }

        return new GatehousePrincipal(new ClaimsIdentity(claims, scheme), actor with { TokenId = tokenId });
    }

    /// <summary>The actor behind a request; only called on endpoints that require authentication.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        if (user is GatehousePrincipal known)
        {
            return known.Actor;
        }

        var kind = Enum.Parse<ActorKind>(user.FindFirstValue(ActorKind) ?? throw new InvalidOperationException("unauthenticated principal reached an authorized endpoint"));
        return new Actor(kind, user.Identity?.Name ?? string.Empty)
        {
            TokenId = user.FindFirstValue(TokenId),
            CiRule = user.FindFirstValue(CiRule),
            TriggeredBy = user.FindFirstValue(TriggeredBy),
        };
    }
}

/// <summary>
/// A principal that carries its <see cref="Actor"/>, so the hot paths read it without parsing
/// claims. Built once per token and change version and shared by that token's requests
/// (ADR 0034); nothing in Gatehouse adds to a principal after authentication.
/// </summary>
internal sealed class GatehousePrincipal(ClaimsIdentity identity, Actor actor) : ClaimsPrincipal(identity)
{
    public Actor Actor { get; } = actor;

    /// <summary>How the access log names the caller: <c>user:alice</c>, <c>app:billing</c>, <c>bootstrap</c>.</summary>
    public string LogName { get; } = actor.Kind.ToString().ToLowerInvariant() is var kind && kind == actor.Name ? actor.Name : kind + ":" + actor.Name;
}
