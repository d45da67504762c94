using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.GetTwoFactorQrCode;

/// <summary>The QR code of the enrolment in progress; there is none once 2FA is on (the secret is never shown again).</summary>
public sealed record GetTwoFactorQrCodeQuery(Guid UserId) : IQuery<Result<byte[]>>;

public sealed class GetTwoFactorQrCodeHandler(CallerAccounts callers, ITotp totp, ISecretProtector protector, IQrCodeRenderer qr)
    : IQueryHandler<GetTwoFactorQrCodeQuery, Result<byte[]>>
{
    public async ValueTask<Result<byte[]>> Handle(GetTwoFactorQrCodeQuery query, CancellationToken cancellationToken)
    {
        var user = await callers.LoadAsync(query.UserId, cancellationToken);
        if (user.IsFailure || user.Value.PendingTotpSecret is null)
        {
            return Error.NotFound("An enrolment in progress");
        }

        return qr.Png(totp.BuildUri(user.Value.Email.Value, protector.Unprotect(user.Value.PendingTotpSecret)));
    }
}
