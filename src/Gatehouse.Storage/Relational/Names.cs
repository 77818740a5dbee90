using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Enum values as stored: lower-case words, readable in SQL and stable if an enum is reordered.
/// </summary>
internal static class Names
{
    public const string Active = "active";
    public const string Revoked = "revoked";

    /// <summary>Stored once a replacement or renewal takes an ended grant's place; until then an ended grant is still stored as active and read as expired.</summary>
    public const string Expired = "expired";

    public static string Of(ApprovalMode mode) => mode switch
    {
        ApprovalMode.Auto => "auto",
        ApprovalMode.TwoOwners => "two-owners",
        _ => "owner",
    };

    public static ApprovalMode ToApprovalMode(string text) => text switch
    {
        "auto" => ApprovalMode.Auto,
        "two-owners" => ApprovalMode.TwoOwners,
        _ => ApprovalMode.Owner,
    };

    public static string Of(RequestState state) => state switch
    {
        RequestState.Approved => "approved",
        RequestState.Denied => "denied",
        RequestState.Superseded => "superseded",
        _ => "pending",
    };

    public static RequestState ToRequestState(string text) => text switch
    {
        "approved" => RequestState.Approved,
        "denied" => RequestState.Denied,
        "superseded" => RequestState.Superseded,
        _ => RequestState.Pending,
    };

    public static GrantState ToGrantState(string text) => text switch
    {
        Active => GrantState.Active,
        Expired => GrantState.Expired,
        _ => GrantState.Revoked,
    };

    public static string Of(OwnerKind kind) => kind == OwnerKind.Team ? "team" : "user";

    public static OwnerKind ToOwnerKind(string text) => text == "team" ? OwnerKind.Team : OwnerKind.User;

    public static string Of(TokenKind kind) => kind == TokenKind.Deploy ? "deploy" : "personal";

    public static TokenKind ToTokenKind(string text) => text == "deploy" ? TokenKind.Deploy : TokenKind.Personal;

    public static string Of(PersonRole role) => role switch
    {
        PersonRole.TokenCreator => "token-creator",
        PersonRole.Trigger => "trigger",
        _ => "pusher",
    };

    public static PersonRole ToPersonRole(string text) => text switch
    {
        "token-creator" => PersonRole.TokenCreator,
        "trigger" => PersonRole.Trigger,
        _ => PersonRole.Pusher,
    };

    /// <summary>How an access key appears in plans and audit subjects.</summary>
    public static string Subject(AccessKey key) => $"{key.Consumer} -> {key.Provider}:{key.Scope}@{key.Environment}";

    /// <summary>The name an actor votes and approves under: a person's name, or "bootstrap".</summary>
    public static string ApproverName(Actor actor) => actor.Kind == ActorKind.User ? actor.Name : actor.ToString();
}
