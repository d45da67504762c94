using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// The last line: known exceptions become their 4xx (an oversized body, a lost uniqueness
/// race); anything else a 500 problem that tells nothing of the internals.
/// </summary>
public sealed partial class GlobalExceptionHandler(ILogger<GlobalExceptionHandler> logger) : IExceptionHandler
{
    private const string RetryAfterSeconds = "5";

    private static readonly Error DatabaseUnavailable =
        new(ErrorCodes.ServiceUnavailable, "The database is busy or out of reach; nothing was changed. Try again shortly.");

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new Error(ErrorCodes.PayloadTooLarge, $"The request body is larger than {BodySizeLimit.MaxBytes / 1024} KiB."),
            BadHttpRequestException => Error.Validation("body", "The request could not be read."),
            DuplicateKeyException => Error.Conflict("A record with the same unique value already exists."),
            ConcurrencyConflictException => Error.Conflict("Another request changed the same record first; try again."),
            _ when Infrastructure.Persistence.DatabaseFaults.IsUnavailable(exception) => DatabaseUnavailable,
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => new Error("internal_error", "An unexpected error occurred."),
        };
        if (error is null)
        {
            return true;
        }

        if (error.Code == "internal_error")
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, SafeForLog(httpContext.Request.Path.ToString()));
        }
        else if (ReferenceEquals(error, DatabaseUnavailable))
        {
            LogUnavailable(logger, exception.GetType().Name, httpContext.Request.Method, SafeForLog(httpContext.Request.Path.ToString()));
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        if (!httpContext.Response.HasStarted)
        {
            await Problems.WriteAsync(httpContext, error);
        }

        return true;
    }

    /// <summary>Control characters (line breaks among them) in a path cannot forge log lines (LOG-03).</summary>
    private static string SafeForLog(string value) =>
        string.Create(Math.Min(value.Length, 512), value, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({Exception}) on {Method} {Path}: answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}

/// <summary>Bodies above 1 MiB answer 413 before anything reads them.</summary>
public static class BodySizeLimit
{
    public const long MaxBytes = 1024 * 1024;

    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength is > MaxBytes)
            {
                await Problems.WriteAsync(context, new Error(ErrorCodes.PayloadTooLarge, $"The request body is larger than {MaxBytes / 1024} KiB."));
                return;
            }

            // Chunked bodies have no length: Kestrel stops them at the limit while reading.
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = MaxBytes;
            }

            await next(context);
        });
}

/// <summary>Unreadable JSON, wrong types and unknown fields: 400 <c>validation_failed</c> with the field.</summary>
public static class InvalidModelState
{
    public static IActionResult Respond(ActionContext context)
    {
        var fields = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .ToDictionary(
                e => FieldName(e.Key),
                e => new[] { GenericMessage },
                StringComparer.Ordinal);
        return new ProblemResult(Error.Validation(fields));
    }

    private static string FieldName(string key)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key.TrimStart('$');
        return string.IsNullOrEmpty(name) || name.Equals("request", StringComparison.OrdinalIgnoreCase) ? "body" : name;
    }

    // The JSON reader's and model binder's own messages echo the input: say what is wrong in our words.
    private const string GenericMessage = "The value is missing, of the wrong type, not allowed here, or the JSON is malformed.";
}

