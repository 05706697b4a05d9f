using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Domain.Common;
using Portal.Web.Features;

namespace Portal.Web.Hosting;

/// <summary>
/// A refusal thrown by a service (not allowed, not found, against a rule, invalid) is the client's 4xx in every
/// environment, whatever endpoint raised it: a download of another place's ledger is a 403, not a 500. Anything else
/// is still a fault and goes on to the error page.
/// </summary>
public sealed class RefusalResponses(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, IStringLocalizer<SharedResource> L)
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && StatusOf(e) is { } status)
        {
            http.Response.Clear();
            await Results.Problem(title: L.Explain(e), statusCode: status,
                extensions: e is DomainException d ? new Dictionary<string, object?> { ["code"] = d.Code } : null).ExecuteAsync(http);
        }
    }

    private static int? StatusOf(Exception e) => e switch
    {
        ForbiddenException => StatusCodes.Status403Forbidden,
        DomainException d when d.Code.EndsWith(".not_found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        DomainException => StatusCodes.Status422UnprocessableEntity,
        FluentValidation.ValidationException => StatusCodes.Status400BadRequest,
        DbUpdateConcurrencyException => StatusCodes.Status409Conflict,
        _ => null,
    };
}
