using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SixtyFourBitTotalsAndSolidonRange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Campaigns that existed before the range take the defaults (0,10 € to 20 € per solidon), and the totals
            // that grow without bound become 64-bit.
            migrationBuilder.AlterColumn<long>(
                name: "SolidonsOnCountedBills",
                table: "EstablishmentTallies",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "int");

            migrationBuilder.AlterColumn<long>(
                name: "Solidons",
                table: "EstablishmentTallies",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "int");

            migrationBuilder.AlterColumn<long>(
                name: "Bills",
                table: "EstablishmentTallies",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "int");

            migrationBuilder.AlterColumn<long>(
                name: "Solidons",
                table: "Campaigns",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "int");

            migrationBuilder.AddColumn<long>(
                name: "SolidonMaximum",
                table: "Campaigns",
                type: "bigint",
                nullable: false,
                defaultValue: 2000L);

            migrationBuilder.AddColumn<long>(
                name: "SolidonMinimum",
                table: "Campaigns",
                type: "bigint",
                nullable: false,
                defaultValue: 10L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SolidonMaximum",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "SolidonMinimum",
                table: "Campaigns");

            migrationBuilder.AlterColumn<int>(
                name: "SolidonsOnCountedBills",
                table: "EstablishmentTallies",
                type: "int",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<int>(
                name: "Solidons",
                table: "EstablishmentTallies",
                type: "int",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<int>(
                name: "Bills",
                table: "EstablishmentTallies",
                type: "int",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<int>(
                name: "Solidons",
                table: "Campaigns",
                type: "int",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");
        }
    }
}
