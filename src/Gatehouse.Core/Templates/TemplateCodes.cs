namespace Gatehouse.Core.Templates;

/// <summary>
/// Codes for templates (GH70xx): template.yaml, rendering, and the project's
/// <c>.gatehouse/template.yaml</c>. Stable; each is documented in docs/errors.md.
/// </summary>
public static class TemplateCodes
{
    public const string DefinitionMissing = "GH7001";
    public const string UnknownKey = "GH7002";
    public const string WrongType = "GH7003";
    public const string MissingKey = "GH7004";
    public const string InvalidQuestionName = "GH7005";
    public const string InvalidQuestionType = "GH7006";
    public const string InvalidDefault = "GH7007";
    public const string InvalidPattern = "GH7008";
    public const string InvalidChoices = "GH7009";
    public const string DuplicateQuestion = "GH7010";
    public const string InvalidCondition = "GH7011";
    public const string InvalidVersion = "GH7012";
    public const string NeedsNewerGatehouse = "GH7013";
    public const string LiquidSyntax = "GH7014";
    public const string RenderFailed = "GH7015";
    public const string InvalidAnswer = "GH7016";
    public const string UnknownAnswer = "GH7017";
    public const string MissingAnswer = "GH7018";
    public const string NoSuchVersion = "GH7019";
    public const string FetchFailed = "GH7020";
    public const string DestinationNotEmpty = "GH7021";
    public const string ProjectRecordMissing = "GH7022";
    public const string DirtyWorkTree = "GH7023";
    public const string MergeConflicts = "GH7024";
    public const string TooFarBehind = "GH7025";
    public const string GitMissing = "GH7026";
    public const string InvalidRenderedPath = "GH7027";
    public const string PathRenderedTwice = "GH7028";
    public const string ProjectRecordInvalid = "GH7029";

    // Seen from the platform (ADR 0029): template records sent by push, templates published to the server.
    public const string RecordFieldInvalid = "GH7030";
    public const string PublishFieldInvalid = "GH7031";
    public const string TemplateNotFound = "GH7032";
    public const string PublishForbidden = "GH7033";
    public const string SourcePublishedUnderAnotherName = "GH7034";
}
