namespace AuthPlatform.Application.TwoFactor.Common;

public sealed record TwoFactorStatusResponse(bool Enabled, int RecoveryCodesLeft);

public sealed record TwoFactorSetupResponse(string Secret, string OtpauthUri, string QrCode);

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
