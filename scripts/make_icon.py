"""Draw the application icon (resources/icons/boeun-desk.png/.ico) from the shipped Hangul font."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SIZE = 256


def main() -> None:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=48, fill=(155, 34, 38, 255))  # jujube red
    draw.rounded_rectangle((8, 176, SIZE - 8, SIZE - 8), radius=48, fill=(96, 132, 58, 255))  # leaf green
    draw.rectangle((8, 176, SIZE - 8, 200), fill=(96, 132, 58, 255))
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "NanumGothicBold.ttf"), 150)
    draw.text((SIZE / 2, 100), "보", font=font, fill="white", anchor="mm")
    out = ROOT / "resources" / "icons"
    image.save(out / "boeun-desk.png")
    image.save(out / "boeun-desk.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
