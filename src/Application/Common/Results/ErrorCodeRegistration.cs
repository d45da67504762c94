using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Application.Common.Results;

/// <summary>An error code that an extension defines, and the HTTP status its problem answers with.</summary>
public sealed record ErrorCodeStatus(string Code, int Status);

/// <summary>
/// Lets an extension answer its own stable error codes without editing the WebApi's mapper:
/// <c>services.AddErrorCode("address_not_allowed", 403)</c>. The WebApi looks a code up here when
/// it is not one of <see cref="ErrorCodes"/>; a code found nowhere still answers 500
/// <c>internal_error</c> with no details.
/// </summary>
public static partial class ErrorCodeRegistration
{
    public static IServiceCollection AddErrorCode(this IServiceCollection services, string code, int status)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (code is null || !CodeFormat().IsMatch(code))
        {
            throw new ArgumentException($"The error code '{code}' is not a stable code: use 2 to 64 characters of [a-z0-9_], starting with a letter.", nameof(code));
        }

        if (ErrorCodes.IsBuiltIn(code))
        {
            throw new ArgumentException($"The error code '{code}' is built in; its status cannot be changed.", nameof(code));
        }

        if (status is < 400 or > 599 or 500)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, $"The error code '{code}' needs a 4xx or 5xx status other than 500 (kept for internal_error).");
        }

        var existing = services
            .Select(d => d.ServiceType == typeof(ErrorCodeStatus) && !d.IsKeyedService ? d.ImplementationInstance as ErrorCodeStatus : null)
            .FirstOrDefault(e => e?.Code == code);
        if (existing is not null)
        {
            return existing.Status == status
                ? services
                : throw new InvalidOperationException($"The error code '{code}' is registered twice, with {existing.Status} and {status}.");
        }

        services.AddSingleton(new ErrorCodeStatus(code, status));
        return services;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{1,63}$")]
    private static partial Regex CodeFormat();
}
