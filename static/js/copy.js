// "复制地址": copies the value of the input named by data-copy-target and
// says so in the live region "<id>-copied".
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById(`${input.id}-copied`);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = "已复制订阅地址。";
    } catch (err) {
      status.textContent = "无法自动复制，请按 Ctrl+C（手机上长按）复制已选中的地址。";
    }
  });
});
