using System.Globalization;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Device.Common;

/// <summary>
/// Finds the pending device authorization of a user code entered by a signed-in person, under the
/// brute-force defence of RFC 8628 5.1: the user-code space is small (20^8), so wrong entries are
/// counted per address and per person (<see cref="IUserCodeThrottle"/>), audited
/// (<see cref="DeviceUserCodeRejected"/>), and refused with the same answer whether the code never
/// existed, expired or was decided already.
/// </summary>
public sealed class UserCodeLookup(
    IDeviceAuthorizationRepository authorizations,
    IUserCodeThrottle throttle,
    ISecretGenerator hasher,
    IClientContext context,
    IDomainEvents events,
    TimeProvider clock)
{
    public const string Throttled = "throttled";
    public const string UnknownOrExpired = "unknown_or_expired";

    public static readonly Error Unknown = new(
        OAuthProtocolErrors.InvalidRequest, "This code is not valid: it may have expired or been used already. Check the code your device shows, or start again on the device.");

    public async Task<Result<DeviceAuthorization>> FindPendingAsync(string? userCode, Guid userId, CancellationToken cancellationToken)
    {
        var keys = new[] { "ip:" + ClientAddresses.ThrottleKey(context.IpAddress), "user:" + userId.ToString("N") };
        var reserved = new List<string>(keys.Length);
        var wait = TimeSpan.Zero;
        foreach (var key in keys)
        {
            if (await throttle.ReserveAsync(key, cancellationToken) is { } retryAfter)
            {
                wait = retryAfter > wait ? retryAfter : wait;
            }
            else
            {
                reserved.Add(key);
            }
        }

        // Each key's slot is kept by a wrong code and given back otherwise (a throttled entry, a found code, an exception).
        var failed = false;
        try
        {
            if (wait > TimeSpan.Zero || reserved.Count < keys.Length)
            {
                events.Raise(new DeviceUserCodeRejected(userId, Throttled));
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                return Result<DeviceAuthorization>.Refused(new Error(
                    ErrorCodes.RateLimited,
                    $"Too many wrong codes. Retry after {seconds} seconds.",
                    new Dictionary<string, string[]> { [ClientAuthentication.RetryAfterField] = [seconds.ToString(CultureInfo.InvariantCulture)] }));
            }

            var normalized = UserCodes.Normalize(userCode);
            var found = normalized is null ? null : await authorizations.FindByUserCodeHashAsync(hasher.Hash(normalized), cancellationToken);
            if (found is null || !found.AwaitsDecision(clock.GetUtcNow()))
            {
                failed = true;
                events.Raise(new DeviceUserCodeRejected(userId, UnknownOrExpired));
                return Result<DeviceAuthorization>.Refused(Unknown);
            }

            return found;
        }
        finally
        {
            foreach (var key in reserved)
            {
                throttle.Complete(key, failed);
            }
        }
    }
}
