using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Gatehouse.Server.Portal;

/// <summary>
/// Every portal response: a strict Content Security Policy (the portal runs no script), no
/// framing, no caching of pages that show who may do what, and a readable page instead of a
/// bare 400 when a form's anti-forgery token is missing or stale.
/// </summary>
internal sealed class PortalResponseFilter : IAlwaysRunResultFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public void OnResultExecuting(ResultExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";

        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status400BadRequest,
                ContentType = "text/html; charset=utf-8",
                Content = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Form expired · Gatehouse</title></head>" +
                    "<body><main><h1>This form could not be accepted</h1><p>" + PortalErrors.FormExpired + ": the form's anti-forgery token is missing or no longer valid " +
                    "(the page may be old, or you signed in again since). Nothing was changed. <a href=\"/\">Go back</a>, reload the page and try again.</p></main></body></html>",
            };
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
