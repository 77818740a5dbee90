namespace Gatehouse.Core.Diagnostics;

/// <summary>
/// Every diagnostic code Core reports. Codes are stable: never reuse or renumber one.
/// Each is documented in docs/errors.md under the anchor <c>#ghNNNN</c>.
/// </summary>
public static class DiagnosticCodes
{
    // GH0xxx: the file itself and its YAML.
    public const string FileTooLarge = "GH0001";
    public const string YamlSyntax = "GH0002";
    public const string InvalidUtf8 = "GH0003";
    public const string EmptyFile = "GH0004";
    public const string TabIndentation = "GH0005";
    public const string AnchorOrAlias = "GH0006";
    public const string NestingTooDeep = "GH0007";
    public const string MultipleDocuments = "GH0008";
    public const string DuplicateKey = "GH0009";
    public const string TagNotSupported = "GH0010";
    public const string ComplexKey = "GH0011";
    public const string FileUnreadable = "GH0012";
    public const string NoFilesFound = "GH0013";

    // GH1xxx: one manifest (gatehouse.yaml).
    public const string ManifestApiVersion = "GH1001";
    public const string ManifestMissingKey = "GH1002";
    public const string ManifestUnknownKey = "GH1003";
    public const string ManifestWrongType = "GH1004";
    public const string InvalidAppName = "GH1005";
    public const string InvalidScopeName = "GH1006";
    public const string InvalidOwner = "GH1007";
    public const string ManifestEmptyList = "GH1008";
    public const string DuplicateScope = "GH1009";
    public const string UnknownScopeApproval = "GH1010";
    public const string NeedWithoutReason = "GH1011";
    public const string NeedOfItself = "GH1012";
    public const string ManifestDuplicateItem = "GH1013";
    public const string DuplicateNeed = "GH1014";
    public const string UnknownReplacement = "GH1015";
    public const string UndefinedEnvironment = "GH1016";
    public const string InvalidNeedEnvironment = "GH1017";
    public const string InvalidDeprecation = "GH1018";
    public const string ManifestTextTooLong = "GH1019";
    public const string ScopeWithoutDescription = "GH1020";
    public const string InvalidRoute = "GH1030";
    public const string DuplicateRoute = "GH1031";
    public const string OverlappingRoutes = "GH1032";
    public const string RedundantRoute = "GH1033";
    public const string InvalidMaxGrantDays = "GH1021";
    public const string InvalidNeedUntil = "GH1022";

    // GH2xxx: across files.
    public const string DuplicateApp = "GH2001";
    public const string UndeclaredScope = "GH2002";
    public const string UnknownApp = "GH2003";
    public const string DeprecatedScopeNeeded = "GH2004";
    public const string UndefinedTeam = "GH2005";
    public const string NoOrganisationFile = "GH2006";
    public const string SeveralOrganisationFiles = "GH2007";

    // GH3xxx: the organisation file (gatehouse.org.yaml).
    public const string OrganisationApiVersion = "GH3001";
    public const string OrganisationMissingKey = "GH3002";
    public const string OrganisationUnknownKey = "GH3003";
    public const string OrganisationWrongType = "GH3004";
    public const string InvalidOrganisationName = "GH3005";
    public const string InvalidUserName = "GH3006";
    public const string OrganisationEmptyList = "GH3007";
    public const string InvalidEnvironmentName = "GH3008";
    public const string DuplicateEnvironment = "GH3009";
    public const string UnknownEnvironmentApproval = "GH3010";
    public const string InvalidTeamName = "GH3011";
    public const string DuplicateTeam = "GH3012";
    public const string OrganisationDuplicateItem = "GH3013";
    public const string OrganisationTextTooLong = "GH3014";
    public const string InvalidEnvironmentMaxGrantDays = "GH3040";

    // GH3041-GH3043: environment policies (ADR 0031).
    public const string PromotionUnknownEnvironment = "GH3041";
    public const string PromotionCycle = "GH3042";
    public const string InvalidFreeze = "GH3043";
    public const string InvalidReviewPolicy = "GH3044";

    // GH303x: trusted CI issuers in the organisation file (ADR 0021).
    public const string InvalidCiIssuerUrl = "GH3030";
    public const string DuplicateCiIssuer = "GH3031";
    public const string InvalidCiName = "GH3032";
    public const string DuplicateCiRule = "GH3033";
    public const string InvalidCiRulePattern = "GH3034";

    // GH6000–GH6019: notification targets in the organisation file (docs/notifications.md).
    public const string UnknownNotificationKind = "GH6000";
    public const string InvalidNotificationUrl = "GH6001";
    public const string InvalidNotificationEnv = "GH6002";
    public const string InvalidNotificationAddress = "GH6003";
    public const string UnknownNotificationDigest = "GH6004";
    public const string NotificationKeyNotForKind = "GH6005";
    public const string DuplicateNotificationTarget = "GH6006";
    public const string InvalidNotificationTargetName = "GH6007";

    /// <summary>Where a code is explained: the anchor in docs/errors.md, as published.</summary>
    public static Uri HelpUri(string code) =>
        new($"https://gatehouse.dev/docs/errors#{code.ToLowerInvariant()}");
}
