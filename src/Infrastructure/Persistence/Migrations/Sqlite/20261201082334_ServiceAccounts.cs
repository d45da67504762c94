using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "service_account_id",
                table: "api_keys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "service_accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    owner_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_accounts", x => x.id);
                    table.ForeignKey(
                        name: "FK_service_accounts_users_owner_id",
                        column: x => x.owner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "service_account_secrets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    service_account_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_account_secrets", x => x.id);
                    table.ForeignKey(
                        name: "FK_service_account_secrets_service_accounts_service_account_id",
                        column: x => x.service_account_id,
                        principalTable: "service_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_service_account_id",
                table: "api_keys",
                column: "service_account_id");

            migrationBuilder.CreateIndex(
                name: "IX_service_account_secrets_service_account_id",
                table: "service_account_secrets",
                column: "service_account_id");

            migrationBuilder.CreateIndex(
                name: "IX_service_accounts_client_id",
                table: "service_accounts",
                column: "client_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_service_accounts_deleted_at",
                table: "service_accounts",
                column: "deleted_at");

            migrationBuilder.CreateIndex(
                name: "IX_service_accounts_owner_id",
                table: "service_accounts",
                column: "owner_id");

            migrationBuilder.AddForeignKey(
                name: "FK_api_keys_service_accounts_service_account_id",
                table: "api_keys",
                column: "service_account_id",
                principalTable: "service_accounts",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_api_keys_service_accounts_service_account_id",
                table: "api_keys");

            migrationBuilder.DropTable(
                name: "service_account_secrets");

            migrationBuilder.DropTable(
                name: "service_accounts");

            migrationBuilder.DropIndex(
                name: "IX_api_keys_service_account_id",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "service_account_id",
                table: "api_keys");
        }
    }
}
