"""Jinja chat templates equivalent to swift-rlhf's chat formats, with {% generation %} around what the assistant mask
covers, for transformers' apply_chat_template(return_assistant_tokens_mask=True)."""

SMOL_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

# ChatML as SmolLM2 and Qwen2 write it; the mask covers the answer and its <|im_end|>.
CHATML = (
    "{%- for message in messages -%}"
    "{%- if loop.first and messages[0]['role'] != 'system' and default_system -%}"
    "{{ '<|im_start|>system\\n' + default_system + '<|im_end|>\\n' }}"
    "{%- endif -%}"
    "{{ '<|im_start|>' + message['role'] + '\\n' }}"
    "{%- if message['role'] == 'assistant' -%}"
    "{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
    "{%- else -%}{{ message['content'] + '<|im_end|>\\n' }}{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
)

# Llama-3 (3.0 Instruct): trimmed contents; the mask covers the answer and its <|eot_id|>.
LLAMA3 = (
    "{{ bos_token }}"
    "{%- for message in messages -%}"
    "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}"
    "{%- if message['role'] == 'assistant' -%}"
    "{% generation %}{{ message['content'] | trim }}{{ '<|eot_id|>' }}{% endgeneration %}"
    "{%- else -%}{{ message['content'] | trim }}{{ '<|eot_id|>' }}{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif -%}"
)

# GLM-4: the model writes the newline after <|assistant|>, and ends its turn with the next role token (or
# <|endoftext|> at the end), so all of those are in the mask, as in GLM-4's own fine-tuning recipe.
GLM4 = (
    "[gMASK]<sop>"
    "{%- for message in messages -%}"
    "{%- if loop.first or messages[loop.index0 - 1]['role'] != 'assistant' -%}{{ '<|' + message['role'] + '|>' }}{%- endif -%}"
    "{%- if message['role'] == 'assistant' -%}"
    "{% generation %}{{ '\\n' + message['content'] }}"
    "{%- if loop.last -%}{{ '<|endoftext|>' }}{%- else -%}{{ '<|' + messages[loop.index0 + 1]['role'] + '|>' }}{%- endif -%}"
    "{% endgeneration %}"
    "{%- else -%}{{ '\\n' + message['content'] }}{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|assistant|>' }}{%- endif -%}"
)

TEMPLATES = {
    "chatml": ("small-qwen2", CHATML.replace("default_system", "'" + SMOL_SYSTEM + "'"), {}),
    "chatml-no-default": ("small-qwen2", CHATML.replace("and default_system", "and false").replace("+ default_system +", "+"), {}),
    "llama3": ("small-llama3", LLAMA3, {"bos_token": "<|begin_of_text|>"}),
    "glm4": ("small-glm4", GLM4, {}),
}

CONVERSATIONS = [
    ([{"role": "user", "content": "Hello!"}, {"role": "assistant", "content": "Hi there. How can I help?"}], False),
    ([{"role": "system", "content": "You answer briefly."}, {"role": "user", "content": "2+2?"},
      {"role": "assistant", "content": "4"}, {"role": "user", "content": "And 3+3?"},
      {"role": "assistant", "content": "6, of course."}], False),
    ([{"role": "user", "content": "你好，世界！请用中文回答。"}, {"role": "assistant", "content": "你好！我是一个助手。"},
      {"role": "user", "content": "谢谢"}], True),
    ([{"role": "user", "content": "  spaces around  "}, {"role": "assistant", "content": "\n\nstarts with newlines\n"}], False),
    ([{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Write code."}], True),
    ([{"role": "user", "content": "Say <|endoftext|> literally"}, {"role": "assistant", "content": "def f(x):\n    return x  # ok"}], False),
]
