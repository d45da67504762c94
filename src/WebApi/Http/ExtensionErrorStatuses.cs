using AuthPlatform.Application.Common.Results;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// The statuses of the error codes that extensions registered with <c>services.AddErrorCode</c>
/// (<see cref="ErrorCodeStatus"/>); the built-in codes stay in <see cref="Problems.StatusOf(string)"/>.
/// </summary>
public sealed partial class ExtensionErrorStatuses(IEnumerable<ErrorCodeStatus> registered)
{
    /// <summary>What a code without a status answers: a 500 that tells nothing of the error.</summary>
    public static readonly Error Unmapped = new(ErrorCodes.InternalError, "An unexpected error occurred.");

    private readonly Dictionary<string, int> _statuses = registered
        .GroupBy(r => r.Code, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Status, StringComparer.Ordinal);

    public int? StatusOf(string code) => _statuses.TryGetValue(code, out var status) ? status : null;

    /// <summary>A bug to fix (a use case or extension answered a code nobody registered): logged, never sent.</summary>
    public static void LogUnmapped(HttpContext http, string code)
    {
        var logger = http.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger<ExtensionErrorStatuses>();
        if (logger is not null)
        {
            LogUnmappedCode(logger, code.Length > 64 ? code[..64] : code);
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The error code '{Code}' has no HTTP status: answered 500 internal_error. Register it with services.AddErrorCode(code, status).")]
    private static partial void LogUnmappedCode(ILogger logger, string code);
}
