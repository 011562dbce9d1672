// Live count for texts with a minimum length (the server counts the same way: trimmed characters).
document.querySelectorAll("textarea[data-min-chars]").forEach(function (area) {
  const min = parseInt(area.dataset.minChars, 10);
  const note = document.createElement("div");
  note.className = "form-text char-count";
  area.after(note);
  const update = function () {
    const n = Array.from(area.value.trim()).length;
    note.textContent = n >= min ? "已写 " + n + " 字。" : "已写 " + n + " 字，还需 " + (min - n) + " 字。";
  };
  area.addEventListener("input", update);
  update();
});
